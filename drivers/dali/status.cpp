#include "drivers/dali/status.hpp"

namespace lykta::dali {

GearStatusBits GearStatusBits::decode(std::uint8_t b) {
    GearStatusBits s;
    s.gear_failure = b & 0x01;
    s.lamp_failure = b & 0x02;
    s.lamp_on = b & 0x04;
    s.limit_error = b & 0x08;
    s.fade_running = b & 0x10;
    s.reset_state = b & 0x20;
    s.missing_short_address = b & 0x40;
    s.power_failure = b & 0x80;
    return s;
}

std::uint8_t GearStatusBits::encode() const {
    return static_cast<std::uint8_t>(gear_failure << 0 | lamp_failure << 1 | lamp_on << 2 | limit_error << 3 |
                                     fade_running << 4 | reset_state << 5 | missing_short_address << 6 |
                                     power_failure << 7);
}

std::string GearStatusBits::to_string() const {
    std::string out;
    auto add = [&](bool bit, const char* name) {
        if (!bit) return;
        if (!out.empty()) out += ',';
        out += name;
    };
    add(gear_failure, "gear_failure");
    add(lamp_failure, "lamp_failure");
    add(lamp_on, "lamp_on");
    add(limit_error, "limit_error");
    add(fade_running, "fade_running");
    add(reset_state, "reset_state");
    add(missing_short_address, "missing_short_address");
    add(power_failure, "power_failure");
    return out.empty() ? "ok" : out;
}

}  // namespace lykta::dali
