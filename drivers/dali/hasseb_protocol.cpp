#include "drivers/dali/hasseb_protocol.hpp"

namespace lykta::dali::hasseb {

std::array<std::uint8_t, report_size> frame_report(std::uint8_t sequence, ForwardFrame frame,
                                                   bool expect_answer, bool send_twice) {
    return {magic,
            dali_frame,
            sequence,
            16,
            static_cast<std::uint8_t>(expect_answer ? 1 : 0),
            0,
            static_cast<std::uint8_t>(send_twice ? send_twice_gap_ms : 0),
            frame.address_byte(),
            frame.data(),
            0};
}

std::optional<ReportReply> parse_report(std::span<const std::uint8_t> r) {
    if (r.size() < 6 || r[1] != dali_frame) return std::nullopt;
    ReportReply out{r[2], Reply::none()};
    switch (r[3]) {
        case 1:
            out.reply = Reply::none();
            return out;
        case 2:
            if (r[4] != 1) return std::nullopt;
            out.reply = Reply::answer(r[5]);
            return out;
        case 3:  // invalid answer: garbled backward frame
        case 4:  // answer too early: also not a clean single answer
            out.reply = Reply::framing();
            return out;
        default:
            return std::nullopt;  // 0 no data, 5/6 sniffer
    }
}

}  // namespace lykta::dali::hasseb
