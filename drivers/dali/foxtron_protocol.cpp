#include "drivers/dali/foxtron_protocol.hpp"

namespace lykta::dali::foxtron {
namespace {
// §1: at most 26 data characters and 2 of checksum between SOH and ETB.
constexpr std::size_t max_message_chars = max_data_chars + checksum_chars;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// §4.3-4.6: [type][bits][ceil(bits/8) bytes, most significant first]... starting at `at`.
// Returns the index after the message, or nullopt when the data part is too short.
std::optional<std::size_t> read_message(const std::vector<std::uint8_t>& p, std::size_t at, BusMessage& out) {
    if (at >= p.size()) return std::nullopt;
    out.bits = p[at];
    if (out.bits > max_message_bits) return std::nullopt;
    const std::size_t bytes = (out.bits + 7u) / 8u;
    if (at + 1 + bytes > p.size()) return std::nullopt;
    out.value = 0;
    for (std::size_t i = 0; i < bytes; ++i) out.value = out.value << 8 | p[at + 1 + i];
    if (out.bits < 64) out.value &= (std::uint64_t{1} << out.bits) - 1;  // the padding is zeros
    return at + 1 + bytes;
}
}  // namespace

std::optional<ForwardFrame> BusMessage::forward_frame() const {
    if (bits != forward_frame_bits) return std::nullopt;
    return ForwardFrame{static_cast<std::uint16_t>(value)};
}

std::uint8_t checksum(const std::vector<std::uint8_t>& data) {
    unsigned sum = 0;
    for (auto b : data) sum += b;
    return static_cast<std::uint8_t>(~sum);
}

std::string encode(const std::vector<std::uint8_t>& data) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out(1, soh);
    auto put = [&](std::uint8_t b) {
        out += digits[b >> 4];
        out += digits[b & 0x0F];
    };
    for (auto b : data) put(b);
    put(checksum(data));
    out += etb;
    return out;
}

std::vector<std::uint8_t> send_request(ForwardFrame frame, bool send_twice) {
    return {type::send_tracked,   priority_auto, forward_frame_bits,
            frame.address_byte(), frame.data(),  send_twice ? parameter::send_twice : std::uint8_t{0}};
}

std::vector<std::uint8_t> config_request(std::uint8_t item) {
    return {type::config_query, item};
}

void Deframer::reject(std::string why) {
    ++rejected_;
    last_problem_ = std::move(why);
}

void Deframer::feed(std::string_view bytes) {
    buffer_.append(bytes);
}

std::optional<std::vector<std::uint8_t>> Deframer::next() {
    while (!buffer_.empty()) {
        auto start = buffer_.find(soh);
        if (start != 0) {  // a run of garbage counts once, however it was split into reads
            if (!in_garbage_) reject("garbage between messages");
            in_garbage_ = true;
            buffer_.erase(0, start);
            if (buffer_.empty()) return std::nullopt;
        }
        in_garbage_ = false;
        auto end = buffer_.find(etb, 1);
        auto resync = buffer_.find(soh, 1);
        if (resync != std::string::npos && (end == std::string::npos || resync < end)) {
            reject("truncated message (new SOH before ETB)");
            buffer_.erase(0, resync);
            continue;
        }
        if (end == std::string::npos) {
            if (buffer_.size() > 1 + max_message_chars) {
                reject("message longer than 28 characters");
                buffer_.clear();
            }
            return std::nullopt;  // wait for more
        }
        std::string body = buffer_.substr(1, end - 1);
        buffer_.erase(0, end + 1);
        if (body.size() < min_data_chars + checksum_chars || body.size() > max_message_chars ||
            body.size() % 2 != 0) {
            reject("bad length " + std::to_string(body.size()));
            continue;
        }
        std::vector<std::uint8_t> bytes;
        bool ok = true;
        for (std::size_t i = 0; i < body.size(); i += 2) {
            int hi = hex_value(body[i]), lo = hex_value(body[i + 1]);
            if (hi < 0 || lo < 0) {
                ok = false;
                break;
            }
            bytes.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
        }
        if (!ok) {
            reject("non-hex character");
            continue;
        }
        const std::uint8_t sum = bytes.back();
        bytes.pop_back();
        if (checksum(bytes) != sum) {
            reject("checksum mismatch");
            continue;
        }
        return bytes;
    }
    return std::nullopt;
}

std::optional<Incoming> interpret(const std::vector<std::uint8_t>& p) {
    if (p.empty()) return std::nullopt;
    Incoming in;
    switch (p[0]) {
        case type::received_with_answer:  // §4.3
        case type::tracked_with_answer: {
            // §4.4: [0D][bits][message bytes][answer bits][answer byte when legible].
            in.ours = p[0] == type::tracked_with_answer;
            auto after = read_message(p, 1, in.message);
            if (!after || in.message.bits == 0 || *after >= p.size()) return std::nullopt;
            const std::uint8_t answer_length = p[*after];
            const std::size_t rest = p.size() - *after - 1;
            if (answer_length == unreadable) {
                if (rest != 0) return std::nullopt;
                in.kind = Incoming::Kind::collision;
                return in;
            }
            // "Data of answer (0-1 byte)": one byte follows a non-zero length. A backward
            // frame that is not 8 bits long is not a DALI answer (IEC 62386-101): garbled.
            if (answer_length > 8 || rest != 1) return std::nullopt;
            in.kind = answer_length == answer_bits ? Incoming::Kind::answer : Incoming::Kind::collision;
            in.value = p[*after + 1];
            return in;
        }
        case type::received_without_answer:  // §4.5
        case type::tracked_without_answer: {
            // §4.6: [0E][bits][message bytes]; bits 0 = the message was unreadable (framing error).
            in.ours = p[0] == type::tracked_without_answer;
            auto after = read_message(p, 1, in.message);
            if (!after || *after != p.size()) return std::nullopt;
            in.kind = in.message.bits == 0 ? Incoming::Kind::unreadable : Incoming::Kind::no_answer;
            return in;
        }
        case type::event:  // §4.11: [05][code]
            if (p.size() != 2) return std::nullopt;
            in.kind = Incoming::Kind::event;
            in.value = p[1];
            return in;
        case type::config_value:  // §4.8: [07][item][value high][value low]
            if (p.size() != 4) return std::nullopt;
            in.kind = Incoming::Kind::config;
            in.value = p[1];
            in.data = static_cast<std::uint16_t>(p[2] << 8 | p[3]);
            return in;
        default:
            in.kind = Incoming::Kind::unknown;
            return in;
    }
}

}  // namespace lykta::dali::foxtron
