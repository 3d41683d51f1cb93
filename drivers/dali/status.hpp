#pragma once
// QUERY STATUS answer (IEC 62386-102, python-dali QueryStatusResponse), bit 0 = LSB.
#include <cstdint>
#include <string>

namespace lykta::dali {

struct GearStatusBits {
    bool gear_failure = false;           // bit 0
    bool lamp_failure = false;           // bit 1
    bool lamp_on = false;                // bit 2: lamp arc power on
    bool limit_error = false;            // bit 3: last requested level outside MIN..MAX
    bool fade_running = false;           // bit 4 (DALI-1 "fade ready")
    bool reset_state = false;            // bit 5
    bool missing_short_address = false;  // bit 6
    bool power_failure = false;          // bit 7: no RESET or arc power command since power-on

    static GearStatusBits decode(std::uint8_t byte);
    std::uint8_t encode() const;
    std::string to_string() const;  // "lamp_failure,lamp_on" or "ok"
    friend bool operator==(const GearStatusBits&, const GearStatusBits&) = default;
};

}  // namespace lykta::dali
