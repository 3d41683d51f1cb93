#include "gateway/faults/detectors.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace lykta::faults {
namespace {

std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", v);
    return buf;
}

std::string watts(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f W", v);
    return buf;
}

Observation make(SystemTime now, FaultKind kind, std::string target, std::string area, bool active,
                 std::string detail) {
    return Observation{now, kind, std::move(target), std::move(area), active, std::move(detail)};
}

}  // namespace

std::vector<Observation> observe_gear(SystemTime now, const GearStatus& gear, const TargetState& target,
                                      const DetectionSettings& settings) {
    std::vector<Observation> out;
    if (!gear.bus_ok) return out;
    auto who = luminaire_target(gear.luminaire);
    out.push_back(make(now, FaultKind::no_answer, who, gear.area, !gear.available,
                       gear.available ? "" : "gear does not answer status queries"));
    if (!gear.available) return out;
    out.push_back(make(now, FaultKind::lamp_failure, who, gear.area, gear.lamp_failure,
                       gear.lamp_failure ? "gear reports lamp failure" : ""));
    out.push_back(make(now, FaultKind::gear_failure, who, gear.area, gear.gear_failure,
                       gear.gear_failure ? "gear reports control gear failure" : ""));
    if (!gear.level) return out;

    // A fade to the new target takes up to fade_s; judge levels only after the grace.
    auto settled = now - target.target_since >= std::chrono::duration<double>(settings.fade_grace_s);
    if (!settled) return out;
    double level = *gear.level;
    bool burning = target.target <= 0 && level > 0;
    out.push_back(make(now, FaultKind::day_burner, who, gear.area, burning,
                       burning ? "lit at " + percent(level) + " while the target is off" : ""));
    // A dark luminaire whose gear reports why (lamp or gear failure) is that
    // fault only; night_outage is for darkness without a reported cause.
    bool explained = gear.lamp_failure || gear.gear_failure;
    bool dark = target.target > 0 && level < settings.night_outage_ratio * target.target && !explained;
    out.push_back(
        make(now, FaultKind::night_outage, who, gear.area, dark,
             dark ? "level " + percent(level) + " far below target " + percent(target.target) : ""));
    return out;
}

std::vector<Observation> observe_bus(SystemTime now, const BusStatus& bus) {
    std::vector<Observation> out;
    auto who = bus_target(bus.bus);
    out.push_back(make(now, FaultKind::interface_down, who, "", !bus.interface_up,
                       bus.interface_up ? "" : "DALI interface does not answer"));
    if (!bus.interface_up) return out;  // bus power is unknown without the interface
    out.push_back(make(now, FaultKind::bus_power, who, "", !bus.bus_powered,
                       bus.bus_powered ? "" : "no DALI bus power"));
    return out;
}

std::vector<Observation> observe_meter(SystemTime now, const MeterStatus& meter) {
    std::vector<Observation> out;
    out.push_back(make(now, FaultKind::meter_offline, meter_target(meter.meter), meter.area, !meter.available,
                       meter.available ? "" : "device does not answer Modbus polls"));
    if (!meter.available) return out;
    if (meter.door_open)
        out.push_back(make(now, FaultKind::door_open, cabinet_target(meter.meter), meter.area,
                           *meter.door_open, *meter.door_open ? "cabinet door open" : ""));
    if (meter.contactor_commanded && meter.contactor_feedback) {
        bool mismatch = *meter.contactor_commanded != *meter.contactor_feedback;
        out.push_back(make(
            now, FaultKind::contactor_mismatch, cabinet_target(meter.meter), meter.area, mismatch,
            mismatch ? std::string("contactor commanded ") + (*meter.contactor_commanded ? "on" : "off") +
                           " but feedback says " + (*meter.contactor_feedback ? "on" : "off")
                     : ""));
    }
    return out;
}

std::vector<Observation> observe_energy(SystemTime now, const MeterStatus& meter,
                                        const std::vector<MeteredLoad>& loads,
                                        const DetectionSettings& settings) {
    std::vector<Observation> out;
    if (!meter.available || !meter.active_power_w) return out;
    double expected = 0;
    for (const auto& load : loads) expected += load.rated_w * load.level / 100.0;
    double measured = *meter.active_power_w;
    auto who = meter_target(meter.meter);
    if (expected <= 0) {
        bool burning = measured > settings.energy_tolerance_w;
        out.push_back(make(now, FaultKind::day_burner, who, meter.area, burning,
                           burning ? watts(measured) + " metered while every luminaire should be off" : ""));
        out.push_back(make(now, FaultKind::energy_anomaly, who, meter.area, false, ""));
        return out;
    }
    double deviation = std::abs(measured - expected);
    bool anomaly =
        deviation > settings.energy_tolerance * expected && deviation > settings.energy_tolerance_w;
    out.push_back(make(now, FaultKind::day_burner, who, meter.area, false, ""));
    out.push_back(make(now, FaultKind::energy_anomaly, who, meter.area, anomaly,
                       anomaly ? watts(measured) + " metered, " + watts(expected) + " expected" : ""));
    return out;
}

}  // namespace lykta::faults
