// Any byte stream from a Foxtron gateway (or to the simulator) is deframed and
// interpreted without crashing; the deframer never buffers without bound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "drivers/dali/foxtron_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    lykta::dali::foxtron::Deframer deframer;
    // Feed in uneven chunks, as a TCP stream arrives.
    std::size_t chunk = size > 0 ? 1 + data[0] % 7 : 1;
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        deframer.feed(bytes.substr(at, chunk));
        while (auto payload = deframer.next()) {
            auto incoming = lykta::dali::foxtron::interpret(*payload);
            auto request = lykta::dali::foxtron::parse_send_request(*payload);
            if (request) {
                // What the simulator answers must deframe back to itself.
                auto answer = lykta::dali::foxtron::answer_message(request->frame, std::uint8_t{0x42});
                lykta::dali::foxtron::Deframer echo;
                echo.feed(lykta::dali::foxtron::encode(answer));
                auto back = echo.next();
                if (!back || *back != answer) __builtin_trap();
            }
            (void)incoming;
        }
    }
    return 0;
}
