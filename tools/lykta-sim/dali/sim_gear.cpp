#include "lykta-sim/dali/sim_gear.hpp"

#include <algorithm>
#include <cmath>

#include "drivers/dali/commands.hpp"

namespace lykta::dali {
namespace {
constexpr double initialise_window_s = 15 * 60;  // INITIALISE opens a 15-minute window
}

SimGear::SimGear(std::optional<std::uint8_t> addr, std::uint32_t random, std::uint64_t seed)
    : short_address(addr), random_address(random & 0xFFFFFF), rng_(seed | 1) {
    scenes.fill(mask);
    serial = seed & 0xFFFFFFFFFFFF;
    target_ = fade_from_ = 0;
}

std::uint32_t SimGear::next_random() {
    // splitmix64: deterministic per gear for reproducible commissioning tests.
    rng_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = rng_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<std::uint32_t>((z ^ (z >> 31)) & 0xFFFFFF);
}

std::uint8_t SimGear::actual_level(double now) const {
    if (fade_duration_ <= 0 || now >= fade_start_ + fade_duration_) return target_;
    const double f = std::max(0.0, now - fade_start_) / fade_duration_;
    return static_cast<std::uint8_t>(std::lround(fade_from_ + (target_ - fade_from_) * f));
}

GearStatusBits SimGear::status(double now) const {
    GearStatusBits s;
    s.gear_failure = faults.gear_failure;
    s.lamp_failure = faults.lamp_failure;
    s.lamp_on = actual_level(now) > 0 && !faults.lamp_failure;
    s.limit_error = limit_error;
    s.fade_running = actual_level(now) != target_;
    s.reset_state = reset_state;
    s.missing_short_address = !short_address;
    s.power_failure = power_failure;
    return s;
}

void SimGear::account(double now) {
    if (now <= accounted_until_) return;
    const double dt = now - accounted_until_;
    const std::uint8_t level = actual_level(now);
    if (level > 0 && !faults.lamp_failure) {
        operating_s += dt;
        energy_wh += rated_w * percent_from_level(level, curve) / 100.0 * dt / 3600.0;
    }
    accounted_until_ = now;
}

void SimGear::go_to(std::uint8_t level, double now, bool fade) {
    account(now);
    if (faults.stuck) return;
    const std::uint8_t from = actual_level(now);
    limit_error = false;
    if (level != 0) {
        if (level > max_level || level < min_level) limit_error = true;
        level = std::clamp(level, min_level, max_level);
        last_active_level = level;
    }
    if (from == 0 && level > 0 && !faults.lamp_failure) ++starts;
    fade_from_ = from;
    target_ = level;
    fade_start_ = now;
    fade_duration_ = fade ? fade_time_seconds(fade_time) : 0;
    power_failure = false;
}

void SimGear::bus_power_lost(double now) {
    if (system_failure_level != mask) go_to(system_failure_level, now, false);
}

void SimGear::mains_restored(double now) {
    go_to(power_on_level == mask ? last_active_level : power_on_level, now, false);
    power_failure = true;
    reset_state = false;
}

bool SimGear::addressed_by(ForwardFrame frame) const {
    auto a = decode_address(frame.address_byte());
    if (!a) return false;
    switch (a->address.kind) {
        case Address::Kind::short_address:
            return short_address == a->address.value;
        case Address::Kind::group:
            return groups & (1u << a->address.value);
        case Address::Kind::broadcast:
            return true;
        case Address::Kind::broadcast_unaddressed:
            return !short_address;
    }
    return false;
}

std::optional<std::uint8_t> SimGear::receive(ForwardFrame frame, double now, bool repeated) {
    if (faults.missing) return std::nullopt;
    if (initialised && now > initialise_until) initialised = false;
    if (frame.is_special()) return special(frame, now, repeated);
    // The second frame of a send-twice pair still belongs to the ENABLE DEVICE TYPE before the first.
    const std::uint8_t enabled = repeated ? pair_device_type_ : enabled_device_type_;
    pair_device_type_ = enabled;
    enabled_device_type_ = 0xFF;
    if (!addressed_by(frame)) return std::nullopt;
    if (!(frame.address_byte() & 1)) {  // DAPC
        if (frame.data() == mask) {     // MASK stops a running fade where it is
            account(now);
            target_ = actual_level(now);
            fade_duration_ = 0;
        } else {
            go_to(frame.data(), now, true);
        }
        return std::nullopt;
    }
    const std::uint8_t opcode = frame.data();
    if (opcode >= 0xE0 && opcode != op::query_extended_version_number) {
        if (enabled != 6) return std::nullopt;  // part 207 only, after ENABLE DEVICE TYPE 6
        if (opcode == op::select_dimming_curve && repeated && dtr0 <= 1) curve = DimmingCurve{dtr0};
        if (opcode == op::query_dimming_curve) return static_cast<std::uint8_t>(curve);
        return std::nullopt;
    }
    return command(opcode, now, repeated);
}

std::optional<std::uint8_t> SimGear::command(std::uint8_t opc, double now, bool repeated) {
    const std::uint8_t level = actual_level(now);
    const bool on = level > 0;
    auto yes_if = [](bool b) -> std::optional<std::uint8_t> {
        if (b) return yes;
        return std::nullopt;
    };
    const std::uint8_t step =
        static_cast<std::uint8_t>(std::max(1.0, fade_rate_steps_per_s(fade_rate) * 0.2));
    switch (opc) {
        case op::off:
            go_to(0, now, false);
            return std::nullopt;
        case op::up:
            if (on) go_to(static_cast<std::uint8_t>(std::min<int>(level + step, max_level)), now, false);
            return std::nullopt;
        case op::down:
            if (on) go_to(static_cast<std::uint8_t>(std::max<int>(level - step, min_level)), now, false);
            return std::nullopt;
        case op::step_up:
            if (on && level < max_level) go_to(level + 1, now, false);
            return std::nullopt;
        case op::step_down:
            if (on && level > min_level) go_to(level - 1, now, false);
            return std::nullopt;
        case op::recall_max_level:
            go_to(max_level, now, false);
            return std::nullopt;
        case op::recall_min_level:
            go_to(min_level, now, false);
            return std::nullopt;
        case op::step_down_and_off:
            go_to(level <= min_level ? 0 : level - 1, now, false);
            return std::nullopt;
        case op::on_and_step_up:
            go_to(on ? std::min<int>(level + 1, max_level) : min_level, now, false);
            return std::nullopt;
        case op::go_to_last_active_level:
            go_to(last_active_level, now, true);
            return std::nullopt;
        default:
            break;
    }
    if (opc >= op::go_to_scene && opc < op::go_to_scene + 16) {
        if (scenes[opc - op::go_to_scene] != mask) go_to(scenes[opc - op::go_to_scene], now, true);
        return std::nullopt;
    }
    if (opc >= op::reset && opc < op::query_status) {
        // Configuration commands (0x20..0x8F) act only on the second frame of a pair.
        if (!repeated) return std::nullopt;
        switch (opc) {
            case op::reset:
                max_level = 254, min_level = physical_minimum, power_on_level = 254,
                system_failure_level = 254;
                fade_time = 0, fade_rate = 7, groups = 0, curve = DimmingCurve::logarithmic;
                scenes.fill(mask);
                random_address = 0xFFFFFF;
                go_to(254, now, false);
                reset_state = true;
                return std::nullopt;
            case op::store_actual_level_in_dtr0:
                dtr0 = level;
                return std::nullopt;
            case op::set_max_level:
                max_level = std::clamp<std::uint8_t>(dtr0, min_level, 254);
                break;
            case op::set_min_level:
                min_level = std::clamp<std::uint8_t>(dtr0, physical_minimum, max_level);
                break;
            case op::set_system_failure_level:
                system_failure_level = dtr0;
                break;
            case op::set_power_on_level:
                power_on_level = dtr0;
                break;
            case op::set_fade_time:
                fade_time = std::min<std::uint8_t>(dtr0, 15);
                break;
            case op::set_fade_rate:
                fade_rate = std::clamp<std::uint8_t>(dtr0, 1, 15);
                break;
            case op::set_short_address:
                if (dtr0 == mask)
                    short_address.reset();
                else if ((dtr0 & 0x81) == 0x01)
                    short_address = dtr0 >> 1;
                break;
            default:
                if (opc >= op::set_scene && opc < op::set_scene + 16)
                    scenes[opc - op::set_scene] = dtr0;
                else if (opc >= op::remove_from_scene && opc < op::remove_from_scene + 16)
                    scenes[opc - op::remove_from_scene] = mask;
                else if (opc >= op::add_to_group && opc < op::add_to_group + 16) {
                    if (!faults.groups_locked)
                        groups |= static_cast<std::uint16_t>(1u << (opc - op::add_to_group));
                } else if (opc >= op::remove_from_group && opc < op::remove_from_group + 16) {
                    if (!faults.groups_locked)
                        groups &= static_cast<std::uint16_t>(~(1u << (opc - op::remove_from_group)));
                } else
                    return std::nullopt;
        }
        reset_state = false;
        return std::nullopt;
    }
    switch (opc) {
        case op::query_status:
            return status(now).encode();
        case op::query_control_gear_present:
            return yes;
        case op::query_lamp_failure:
            return yes_if(faults.lamp_failure);
        case op::query_lamp_power_on:
            return yes_if(on && !faults.lamp_failure);
        case op::query_limit_error:
            return yes_if(limit_error);
        case op::query_reset_state:
            return yes_if(reset_state);
        case op::query_missing_short_address:
            return yes_if(!short_address);
        case op::query_version_number:
            return 0x08;  // 2.0 (major << 2 | minor)
        case op::query_content_dtr0:
            return dtr0;
        case op::query_content_dtr1:
            return dtr1;
        case op::query_content_dtr2:
            return dtr2;
        case op::query_device_type:
            return 6;
        case op::query_physical_minimum:
            return physical_minimum;
        case op::query_power_failure:
            return yes_if(power_failure);
        case op::query_actual_level:
            return level;
        case op::query_max_level:
            return max_level;
        case op::query_min_level:
            return min_level;
        case op::query_power_on_level:
            return power_on_level;
        case op::query_system_failure_level:
            return system_failure_level;
        case op::query_fade_time_fade_rate:
            return static_cast<std::uint8_t>(fade_time << 4 | fade_rate);
        case op::query_extended_fade_time:
            return 0;
        case op::query_control_gear_failure:
            return yes_if(faults.gear_failure);
        case op::query_groups_0_7:
            return static_cast<std::uint8_t>(groups & 0xFF);
        case op::query_groups_8_15:
            return static_cast<std::uint8_t>(groups >> 8);
        case op::query_random_address_h:
            return static_cast<std::uint8_t>(random_address >> 16);
        case op::query_random_address_m:
            return static_cast<std::uint8_t>(random_address >> 8);
        case op::query_random_address_l:
            return static_cast<std::uint8_t>(random_address);
        case op::read_memory_location: {
            auto v = memory(dtr1, dtr0, now);
            if (dtr0 < 0xFF) ++dtr0;  // auto-increment, even past the end of the bank
            return v;
        }
        case op::query_extended_version_number:
            return std::nullopt;
        default:
            break;
    }
    if (opc >= op::query_scene_level && opc < op::query_scene_level + 16)
        return scenes[opc - op::query_scene_level];
    return std::nullopt;
}

std::optional<std::uint8_t> SimGear::special(ForwardFrame frame, double now, bool repeated) {
    const std::uint8_t p = frame.data();
    const bool selected = initialised && random_address == search_address;
    switch (frame.address_byte()) {
        case special::terminate:
            initialised = false, withdrawn = false;
            return std::nullopt;
        case special::dtr0:
            dtr0 = p;
            return std::nullopt;
        case special::dtr1:
            dtr1 = p;
            return std::nullopt;
        case special::dtr2:
            dtr2 = p;
            return std::nullopt;
        case special::initialise:
            if (!repeated) return std::nullopt;
            if (p == special::initialise_all || (p == special::initialise_unaddressed && !short_address) ||
                ((p & 0x81) == 0x01 && short_address == (p >> 1))) {
                initialised = true;
                withdrawn = false;
                initialise_until = now + initialise_window_s;
            }
            return std::nullopt;
        case special::randomise:
            if (repeated && initialised) random_address = next_random();
            return std::nullopt;
        case special::compare:
            if (initialised && !withdrawn && random_address <= search_address) return yes;
            return std::nullopt;
        case special::withdraw:
            if (selected) withdrawn = true;
            return std::nullopt;
        case special::search_address_h:
            search_address = (search_address & 0x00FFFF) | p << 16;
            return std::nullopt;
        case special::search_address_m:
            search_address = (search_address & 0xFF00FF) | p << 8;
            return std::nullopt;
        case special::search_address_l:
            search_address = (search_address & 0xFFFF00) | p;
            return std::nullopt;
        case special::program_short_address:
            if (selected) {
                if (p == mask)
                    short_address.reset();
                else if ((p & 0x81) == 0x01)
                    short_address = p >> 1;
            }
            return std::nullopt;
        case special::verify_short_address:
            if (initialised && (p & 0x81) == 0x01 && short_address == (p >> 1)) return yes;
            return std::nullopt;
        case special::query_short_address:
            if (!selected) return std::nullopt;
            return short_address ? address_parameter(*short_address) : mask;
        case special::enable_device_type:
            enabled_device_type_ = p;
            return std::nullopt;
        default:
            return std::nullopt;
    }
}

}  // namespace lykta::dali
