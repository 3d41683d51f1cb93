// Any byte stream from a Foxtron converter (to the client) or from a master (to
// the simulated converter) is split and interpreted without crashing; neither
// reader buffers without bound. Where both sides understand a message, they must
// agree: the converter's report of a frame it accepted decodes, on the client,
// to that frame and answer (Foxtron "DALI232 communication protocol" v1.7 §4.2/§4.4).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "drivers/dali/foxtron_protocol.hpp"
#include "lykta-sim/dali/foxtron_converter.hpp"

namespace fx = lykta::dali::foxtron;
namespace cv = lykta::dali::foxtron::converter;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    fx::Deframer deframer;
    cv::LineReader reader;
    // Feed in uneven chunks, as a TCP stream arrives.
    std::size_t chunk = size > 0 ? 1 + data[0] % 7 : 1;
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        auto part = bytes.substr(at, chunk);
        deframer.feed(part);
        while (auto payload = deframer.next()) (void)fx::interpret(*payload);
        for (const auto& m : reader.feed(part)) {
            if (m.corrupt) continue;
            auto parsed = cv::parse(m.data);
            if (!parsed || !std::holds_alternative<cv::Send>(*parsed)) continue;
            const auto& send = std::get<cv::Send>(*parsed);
            fx::Deframer client;
            client.feed(cv::to_line(cv::answered(true, send.message, std::uint8_t{0x42})));
            auto back = client.next();
            if (!back) __builtin_trap();
            auto in = fx::interpret(*back);
            if (!in || in->kind != fx::Incoming::Kind::answer || in->value != 0x42 ||
                in->message.bits != send.message.bits || in->message.value != send.message.value)
                __builtin_trap();
        }
    }
    return 0;
}
