// Any text as a modbus.networks[].url: parse_modbus_url must return a
// network or a problem located inside the URL, never crash or throw; a
// parsed network has a known type and settings within the documented ranges.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/config/modbus_url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view url(reinterpret_cast<const char*>(data), size);
    lykta::config::ModbusNetwork n;
    if (auto problem = lykta::config::parse_modbus_url(url, n)) {
        if (problem->offset > url.size() || problem->message.empty()) std::abort();
        return 0;
    }
    const bool ok =
        n.type == "tcp"
            ? !n.host.empty() && n.port >= 1 && n.port <= 65535 && n.pipeline >= 1 && n.pipeline <= 16
            : n.type == "rtu" && !n.device.empty() && n.baud > 0 && n.data_bits >= 5 && n.data_bits <= 8 &&
                  n.stop_bits >= 1 && n.stop_bits <= 2 &&
                  (n.parity == 'N' || n.parity == 'E' || n.parity == 'O');
    if (!ok || n.response_timeout_s <= 0 || n.reopen_after_s <= 0 || n.byte_timeout_s <= 0) std::abort();
    return 0;
}
