#include "drivers/dali/frame.hpp"

#include <cstdio>
#include <stdexcept>

namespace lykta::dali {

Address Address::short_address(int a) {
    if (a < 0 || a > 63)
        throw std::out_of_range("DALI short address " + std::to_string(a) + " is outside 0..63");
    return {Kind::short_address, static_cast<std::uint8_t>(a)};
}

Address Address::group(int g) {
    if (g < 0 || g > 15) throw std::out_of_range("DALI group " + std::to_string(g) + " is outside 0..15");
    return {Kind::group, static_cast<std::uint8_t>(g)};
}

std::uint8_t Address::byte(bool command) const {
    const std::uint8_t s = command ? 1 : 0;
    switch (kind) {
        case Kind::short_address:
            return static_cast<std::uint8_t>((value & 0x3F) << 1 | s);
        case Kind::group:
            return static_cast<std::uint8_t>(0x80 | (value & 0x0F) << 1 | s);
        case Kind::broadcast:
            return static_cast<std::uint8_t>(0xFE | s);
        case Kind::broadcast_unaddressed:
            return static_cast<std::uint8_t>(0xFC | s);
    }
    return 0xFF;
}

std::string Address::to_string() const {
    switch (kind) {
        case Kind::short_address:
            return "short " + std::to_string(value);
        case Kind::group:
            return "group " + std::to_string(value);
        case Kind::broadcast:
            return "broadcast";
        case Kind::broadcast_unaddressed:
            return "unaddressed";
    }
    return "?";
}

std::optional<DecodedAddress> decode_address(std::uint8_t byte) {
    const bool command = byte & 1;
    if ((byte & 0x80) == 0) return DecodedAddress{Address::short_address(byte >> 1), command};
    if ((byte & 0xE0) == 0x80) return DecodedAddress{Address::group((byte >> 1) & 0x0F), command};
    if ((byte & 0xFE) == 0xFE) return DecodedAddress{Address::broadcast(), command};
    if ((byte & 0xFE) == 0xFC) return DecodedAddress{Address::unaddressed(), command};
    return std::nullopt;  // 0xA0..0xFB: special commands and reserved
}

ForwardFrame dapc(Address to, std::uint8_t level) {
    return make_frame(to.byte(false), level);
}

std::string hex(ForwardFrame f) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", f.value);
    return buf;
}

}  // namespace lykta::dali
