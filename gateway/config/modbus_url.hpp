#pragma once
// The short form of a Modbus network: one URL, like the DALI interfaces'
// endpoints (docs/config.md, "modbus"):
//   modbus+rtu:///dev/ttyUSB0?baud=9600&parity=N&rs485=true
//   modbus+tcp://192.0.2.10:502?pipeline=10
// The path (RTU) or host and port (TCP, port 502 when left out; an IPv6
// address in brackets) say where; the query carries the long form's keys of
// that type plus response_timeout_s and reopen_after_s, each at most once.
// Percent escapes (RFC 3986, 2.1) are decoded in the path and the values.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/config/model.hpp"

namespace lykta::config {

struct UrlProblem {
    std::string message;
    std::size_t offset = 0;  // where in the URL (0-based), for the diagnostic's column
};

// Fills `out`'s type, address and the query's settings; leaves the rest of
// `out` (id, defaults) alone. Never throws: anything else is a UrlProblem.
std::optional<UrlProblem> parse_modbus_url(std::string_view url, ModbusNetwork& out);

}  // namespace lykta::config
