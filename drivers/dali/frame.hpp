#pragma once
// IEC 62386-102 forward frames (16 bit: address byte + data byte) for control
// gear. Pure value types; nothing here knows about transports or time.
#include <cstdint>
#include <optional>
#include <string>

namespace lykta::dali {

// Who a forward frame is for. The address byte carries the selector bit S in
// its LSB: S=0 means the data byte is a direct arc power level (DAPC), S=1 a command.
struct Address {
    enum class Kind : std::uint8_t { short_address, group, broadcast, broadcast_unaddressed };
    Kind kind = Kind::broadcast;
    std::uint8_t value = 0;  // short address 0..63 or group 0..15

    // Throw std::out_of_range outside 0..63 / 0..15: a masked 64 would address gear 0.
    static Address short_address(int a);
    static Address group(int g);
    static Address broadcast() { return {Kind::broadcast, 0}; }
    static Address unaddressed() { return {Kind::broadcast_unaddressed, 0}; }

    // 0AAAAAAS, 100GGGGS, 1111111S, 1111110S.
    std::uint8_t byte(bool command) const;
    std::string to_string() const;  // "short 5", "group 3", "broadcast", "unaddressed"
    friend bool operator==(const Address&, const Address&) = default;
};

// An address byte decoded; nullopt for the special-command range 0xA1..0xCB
// (and the reserved bytes 0xCC..0xFB).
struct DecodedAddress {
    Address address;
    bool command = false;  // selector bit
};
std::optional<DecodedAddress> decode_address(std::uint8_t byte);

// A 16-bit forward frame; value = address byte << 8 | data byte.
struct ForwardFrame {
    std::uint16_t value = 0;
    std::uint8_t address_byte() const { return static_cast<std::uint8_t>(value >> 8); }
    std::uint8_t data() const { return static_cast<std::uint8_t>(value & 0xFF); }
    bool is_special() const { return !decode_address(address_byte()).has_value(); }
    friend bool operator==(const ForwardFrame&, const ForwardFrame&) = default;
};

inline ForwardFrame make_frame(std::uint8_t address_byte, std::uint8_t data) {
    return ForwardFrame{static_cast<std::uint16_t>(address_byte << 8 | data)};
}

// Arc power values with special meaning: 0 = off, 255 = MASK ("no change" in
// DAPC, "not set" in scene/power-on/system-failure registers, "no short address").
inline constexpr std::uint8_t mask = 0xFF;
inline constexpr std::uint8_t yes = 0xFF;  // the backward frame a yes/no query answers with

ForwardFrame dapc(Address to, std::uint8_t level);

std::string hex(ForwardFrame f);  // "0AFE"

}  // namespace lykta::dali
