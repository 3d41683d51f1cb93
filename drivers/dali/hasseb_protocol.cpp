#include "drivers/dali/hasseb_protocol.hpp"

namespace lykta::dali::hasseb {

Report frame_report(std::uint8_t sequence, ForwardFrame frame, bool expect_answer, bool send_twice) {
    return {preamble,
            dali_frame,
            sequence,
            16,  // forward frame bits
            static_cast<std::uint8_t>(expect_answer ? 1 : 0),
            0,  // reserved (python-dali: transmitter settling time 0)
            static_cast<std::uint8_t>(send_twice ? send_twice_gap_ms : 0),
            frame.address_byte(),
            frame.data(),
            0};
}

Report firmware_request(std::uint8_t sequence) {
    return {preamble, read_firmware, sequence, 0, 0, 0, 0, 0, 0, 0};
}

std::optional<Incoming> parse_report(std::span<const std::uint8_t> r) {
    if (r.size() != report_size || r[0] != preamble) return std::nullopt;
    Incoming in;
    in.sequence = r[2];
    if (r[1] == read_firmware) {
        in.kind = Incoming::Kind::firmware;
        in.firmware = {r[3], r[4]};
        return in;
    }
    if (r[1] != dali_frame) return in;  // "no operation" and reports lyktad does not ask for
    in.kind = Incoming::Kind::transmission;
    in.status = r[3];
    switch (r[3]) {
        case 0:  // not in the README's list (see status): the transmission did not give a reply
            in.reply = Reply::failed(BusError::interface);
            return in;
        case status::sniffer_byte:
        case status::sniffer_error:
            return in;
        case status::no_answer:
            in.reply = Reply::none();
            return in;
        case status::answer:
            // Byte 4 is the answer's length: bits in the README, bytes in the 2.3 binary
            // (1 for a backward frame; hasseb.py takes only 1). Either way at least 1, and
            // the first data byte (5) carries the answer.
            if (r[4] < 1) return std::nullopt;
            in.reply = Reply::answer(r[5]);
            return in;
        case status::invalid_answer:    // a garbled backward frame: usually several gear answered
        case status::answer_too_early:  // bus activity inside the settling time: not one clean answer
            in.reply = Reply::framing();
            return in;
        default:
            return std::nullopt;
    }
}

}  // namespace lykta::dali::hasseb
