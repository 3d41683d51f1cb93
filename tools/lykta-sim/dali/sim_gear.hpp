#pragma once
// One simulated DALI control gear (IEC 62386-102 + part 207 device type 6, with
// D4i-style memory banks). Plain state + a frame handler on a virtual clock
// (seconds as double); shared by the in-process SimBus and `lykta-sim dali`.
// What it leaves out is listed in docs/dali.md.
#include <array>
#include <cstdint>
#include <optional>

#include "drivers/dali/frame.hpp"
#include "drivers/dali/level_curve.hpp"
#include "drivers/dali/status.hpp"

namespace lykta::dali {

struct SimGearFaults {
    bool lamp_failure = false;
    bool gear_failure = false;
    bool missing = false;  // mains off or disconnected: hears nothing, answers nothing
    // Output stage stuck (welded relay, broken driver): answers queries but its
    // light stays where it is whatever it is told (day burner, night outage).
    bool stuck = false;
    // Group membership cannot be changed (another controller's lock, or a gear that
    // ignores ADD/REMOVE TO GROUP): what a failed repair looks like.
    bool groups_locked = false;
};

class SimGear {
public:
    SimGear(std::optional<std::uint8_t> short_address, std::uint32_t random_address, std::uint64_t seed);

    // One forward frame at virtual time `now`. `repeated`: this is the valid
    // second frame of a send-twice pair (identical, within 100 ms, nothing between).
    // Returns the backward frame, if this gear answers.
    std::optional<std::uint8_t> receive(ForwardFrame frame, double now, bool repeated);

    void bus_power_lost(double now);  // IEC 62386-102: go to SYSTEM FAILURE LEVEL unless MASK
    void mains_restored(double now);  // POWER ON LEVEL (MASK = last level), power-failure bit set

    std::uint8_t actual_level(double now) const;
    GearStatusBits status(double now) const;
    std::optional<std::uint8_t> memory(std::uint8_t bank, std::uint8_t offset, double now);

    // Public state: the simulator's control interface and the tests read and poke it.
    std::optional<std::uint8_t> short_address;
    std::uint32_t random_address = 0xFFFFFF;
    std::uint32_t search_address = 0xFFFFFF;
    bool initialised = false;
    double initialise_until = 0;
    bool withdrawn = false;
    std::uint8_t dtr0 = 0, dtr1 = 0, dtr2 = 0;
    std::uint8_t max_level = 254, min_level = 1, physical_minimum = 1;
    std::uint8_t power_on_level = 254, system_failure_level = 254;
    std::uint8_t fade_time = 0, fade_rate = 7;
    std::uint8_t last_active_level = 254;
    std::array<std::uint8_t, 16> scenes;
    std::uint16_t groups = 0;
    DimmingCurve curve = DimmingCurve::logarithmic;
    bool limit_error = false, reset_state = true, power_failure = true;
    SimGearFaults faults;

    // Identity (memory bank 0) and D4i counters (banks 202, 205).
    std::uint64_t gtin = 0x0712345678901;
    std::uint16_t firmware = 0x0102;
    std::uint64_t serial = 0;
    // Luminaire data (bank 1, DiiA part 251); the bank answers NO unless set.
    struct LuminaireBank {
        std::uint64_t gtin = 0;
        std::uint64_t luminaire_id = 0;
        std::uint8_t year = 0;  // since 2000
        std::uint8_t week = 0;
        std::uint16_t nominal_power_w = 0;
        std::uint32_t light_output_lm = 0;
        std::uint16_t cct_k = 0;
    };
    std::optional<LuminaireBank> bank1;
    double rated_w = 40;
    double energy_wh = 0;
    double operating_s = 0;
    std::uint32_t starts = 0;

private:
    bool addressed_by(ForwardFrame frame) const;
    std::optional<std::uint8_t> command(std::uint8_t opcode, double now, bool repeated);
    std::optional<std::uint8_t> special(ForwardFrame frame, double now, bool repeated);
    void go_to(std::uint8_t level, double now, bool fade);
    void account(double now);  // advance energy / operating-time counters to `now`
    std::uint32_t next_random();

    std::uint8_t fade_from_ = 0, target_ = 0;
    double fade_start_ = 0, fade_duration_ = 0;
    double accounted_until_ = 0;
    std::uint8_t enabled_device_type_ = 0xFF;  // ENABLE DEVICE TYPE holds for the next command only
    std::uint8_t pair_device_type_ = 0xFF;
    std::uint64_t rng_;
};

}  // namespace lykta::dali
