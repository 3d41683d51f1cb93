#include "lykta-sim/dali/foxtron_converter.hpp"

namespace lykta::dali::foxtron::converter {
namespace {
constexpr char upper_hex[] = "0123456789ABCDEF";

// §1: only "0"-"9" and "A"-"F".
std::optional<std::uint8_t> nibble(char c) {
    if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
    if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
    return std::nullopt;
}

// §2: ~(sum of the data bytes % 0x100).
std::uint8_t sum_complement(const std::vector<std::uint8_t>& bytes) {
    std::uint8_t sum = 0;
    for (auto b : bytes) sum = static_cast<std::uint8_t>(sum + b);
    return static_cast<std::uint8_t>(0xFF - sum);
}

std::size_t bytes_for(std::uint8_t bits) {
    return bits / 8u + (bits % 8u != 0);
}

// The message's bytes, most significant first (§4.1).
void append_bits(std::vector<std::uint8_t>& out, DaliBits m) {
    for (std::size_t i = bytes_for(m.bits); i-- > 0;)
        out.push_back(static_cast<std::uint8_t>(m.value >> (8 * i)));
}

std::optional<Send> parse_send(const std::vector<std::uint8_t>& d) {
    // [type][priority][bits][1-8 data bytes] and, for type 11, [parameter].
    if (d.size() < 4) return std::nullopt;
    Send s;
    s.type = d[0];
    s.priority = d[1];
    s.message.bits = d[2];
    if (s.priority > priority_lowest || s.message.bits == 0 || s.message.bits > max_message_bits)
        return std::nullopt;
    const std::size_t n = bytes_for(s.message.bits);
    const std::size_t want = 3 + n + (s.type == type::send_tracked ? 1 : 0);
    if (d.size() != want) return std::nullopt;
    for (std::size_t i = 0; i < n; ++i) s.message.value = (s.message.value << 8) | d[3 + i];
    if (s.message.bits < 64 && (s.message.value >> s.message.bits) != 0)
        return std::nullopt;  // padding not zero
    if (s.type == type::send_tracked) {
        s.twice = (d.back() & parameter::send_twice) != 0;
        s.sequence = (d.back() & parameter::sequence) != 0;
    }
    return s;
}
}  // namespace

std::string to_line(const std::vector<std::uint8_t>& data) {
    std::string line;
    line.reserve(2 * data.size() + 4);
    line.push_back(soh);
    auto hex = [&line](std::uint8_t b) {
        line.push_back(upper_hex[b / 16]);
        line.push_back(upper_hex[b % 16]);
    };
    for (auto b : data) hex(b);
    hex(sum_complement(data));
    line.push_back(etb);
    return line;
}

std::vector<LineReader::Message> LineReader::feed(std::string_view chars) {
    std::vector<Message> out;
    for (char c : chars) {
        if (c == soh) {
            if (inside_) out.push_back(Message{{}, true});  // cut short by a new message
            inside_ = true;
            chars_.clear();
        } else if (!inside_) {
            continue;
        } else if (c == etb) {
            out.push_back(finish());
            inside_ = false;
        } else if (chars_.size() == max_data_chars + checksum_chars) {
            out.push_back(Message{{}, true});  // longer than §1 allows: wait for the next SOH
            inside_ = false;
        } else {
            chars_.push_back(c);
        }
    }
    return out;
}

LineReader::Message LineReader::finish() const {
    Message m;
    if (chars_.size() < min_data_chars + checksum_chars || chars_.size() % 2 != 0) {
        m.corrupt = true;
        return m;
    }
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i < chars_.size(); i += 2) {
        auto hi = nibble(chars_[i]), lo = nibble(chars_[i + 1]);
        if (!hi || !lo) {
            m.corrupt = true;
            return m;
        }
        bytes.push_back(static_cast<std::uint8_t>(*hi * 16 + *lo));
    }
    const std::uint8_t received_sum = bytes.back();
    bytes.pop_back();
    m.corrupt = sum_complement(bytes) != received_sum;
    if (!m.corrupt) m.data = std::move(bytes);
    return m;
}

std::optional<FromMaster> parse(const std::vector<std::uint8_t>& d) {
    if (d.empty()) return std::nullopt;
    switch (d[0]) {
        case type::send:
        case type::send_tracked:
        case type::send_continuous:
            if (auto s = parse_send(d)) return *s;
            return std::nullopt;
        case type::config_query:  // [06][item]
            if (d.size() != 2) return std::nullopt;
            return ConfigQuery{d[1]};
        case type::config_change:  // [08][item][value high][value low]
            if (d.size() != 4) return std::nullopt;
            return ConfigChange{d[1], static_cast<std::uint16_t>(d[2] << 8 | d[3])};
        case type::end_of_sequence:  // [0A][0 = end of sequence]
            if (d.size() != 2 || d[1] != 0) return std::nullopt;
            return EndOfSequence{};
        default:
            return std::nullopt;
    }
}

std::vector<std::uint8_t> answered(bool tracked, DaliBits message, std::optional<std::uint8_t> answer) {
    std::vector<std::uint8_t> out{tracked ? type::tracked_with_answer : type::received_with_answer,
                                  message.bits};
    append_bits(out, message);
    // "Data length of response" then "Data of answer", the byte only when legible.
    out.push_back(answer ? answer_bits : unreadable);
    if (answer) out.push_back(*answer);
    return out;
}

std::vector<std::uint8_t> unanswered(bool tracked, DaliBits message) {
    std::vector<std::uint8_t> out{tracked ? type::tracked_without_answer : type::received_without_answer,
                                  message.bits};
    append_bits(out, message);
    return out;
}

std::vector<std::uint8_t> special(std::uint8_t code) {
    return {type::event, code};
}

std::vector<std::uint8_t> config_value(std::uint8_t item, std::uint16_t value) {
    return {type::config_value, item, static_cast<std::uint8_t>(value / 256),
            static_cast<std::uint8_t>(value % 256)};
}

std::vector<std::uint8_t> change_confirmation(const ConfigChange& c, std::uint8_t index) {
    return {type::config_change_confirmation, c.item, static_cast<std::uint8_t>(c.value / 256),
            static_cast<std::uint8_t>(c.value % 256), index};
}

}  // namespace lykta::dali::foxtron::converter
