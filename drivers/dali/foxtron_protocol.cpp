#include "drivers/dali/foxtron_protocol.hpp"

#include <cctype>

namespace lykta::dali::foxtron {
namespace {
constexpr std::size_t max_message_chars = 64;  // longest legal message is ~30 hex digits

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}
}  // namespace

std::uint8_t checksum(const std::vector<std::uint8_t>& payload) {
    unsigned sum = 0;
    for (auto b : payload) sum += b;
    return static_cast<std::uint8_t>(~sum);
}

std::string encode(const std::vector<std::uint8_t>& payload) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out(1, soh);
    auto put = [&](std::uint8_t b) {
        out += digits[b >> 4];
        out += digits[b & 0x0F];
    };
    for (auto b : payload) put(b);
    put(checksum(payload));
    out += etb;
    return out;
}

std::vector<std::uint8_t> send_request(ForwardFrame frame, bool send_twice) {
    return {type::send_tracked,   0x00,         16,
            frame.address_byte(), frame.data(), static_cast<std::uint8_t>(send_twice ? 0x01 : 0x00)};
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
            if (buffer_.size() > max_message_chars) {
                reject("message too long");
                buffer_.clear();
            }
            return std::nullopt;  // wait for more
        }
        std::string body = buffer_.substr(1, end - 1);
        buffer_.erase(0, end + 1);
        if (body.size() < 4 || body.size() % 2 != 0) {
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
    auto frame_at = [&](std::size_t i) { return make_frame(p[i], p[i + 1]); };
    switch (p[0]) {
        case type::answer:  // [0D][Len][AnsLen][frame..][answer]
            if (p.size() < 5 || p[1] != 16) return std::nullopt;
            in.frame = frame_at(3);
            if (p[2] == 0) {
                in.kind = Incoming::Kind::collision;
                return in;
            }
            if (p.size() < 6) return std::nullopt;
            in.kind = Incoming::Kind::answer;
            in.value = p[5];
            return in;
        case type::done_no_answer:  // [0E][Len][frame..]
            if (p.size() < 4 || p[1] != 16) return std::nullopt;
            in.kind = Incoming::Kind::no_answer;
            in.frame = frame_at(2);
            return in;
        case type::event:
            if (p.size() < 2) return std::nullopt;
            in.kind = Incoming::Kind::event;
            in.value = p[1];
            return in;
        case type::config_response:
            if (p.size() < 4) return std::nullopt;
            in.kind = Incoming::Kind::config;
            in.value = p[1];
            in.data = static_cast<std::uint16_t>(p[2] << 8 | p[3]);
            return in;
        case type::spontaneous:
        case type::spontaneous_with_answer:
            in.kind = Incoming::Kind::spontaneous;
            if (p.size() >= 4 && p[0] == type::spontaneous && p[1] == 16) in.frame = frame_at(2);
            return in;
        default:
            in.kind = Incoming::Kind::unknown;
            return in;
    }
}

std::optional<SendRequest> parse_send_request(const std::vector<std::uint8_t>& p) {
    // [0B][prio][len][frame bytes][param]; only 16-bit control gear frames here.
    if (p.size() != 6 || p[0] != type::send_tracked || p[2] != 16) return std::nullopt;
    return SendRequest{make_frame(p[3], p[4]), (p[5] & 0x01) != 0};
}

std::vector<std::uint8_t> answer_message(ForwardFrame frame, std::optional<std::uint8_t> value) {
    std::vector<std::uint8_t> m{type::answer, 16, static_cast<std::uint8_t>(value ? 8 : 0),
                                frame.address_byte(), frame.data()};
    if (value) m.push_back(*value);
    return m;
}

std::vector<std::uint8_t> no_answer_message(ForwardFrame frame) {
    return {type::done_no_answer, 16, frame.address_byte(), frame.data()};
}

std::vector<std::uint8_t> event_message(std::uint8_t code) {
    return {type::event, code};
}

std::vector<std::uint8_t> config_message(std::uint8_t item, std::uint16_t value) {
    return {type::config_response, item, static_cast<std::uint8_t>(value >> 8),
            static_cast<std::uint8_t>(value)};
}

}  // namespace lykta::dali::foxtron
