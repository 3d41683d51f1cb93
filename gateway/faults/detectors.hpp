#pragma once
// Pure detector functions: driver-level facts (plain inputs, fed by the DALI,
// Modbus and policy rooms or the faults feature) in, observations out. No state:
// time-dependent rules (fade grace) get the time the target last changed.
#include <optional>
#include <string>
#include <vector>

#include "gateway/faults/observation.hpp"

namespace lykta::faults {

struct DetectionSettings {
    double fade_grace_s = 120;        // after a target change, no day_burner/night_outage
    double night_outage_ratio = 0.5;  // lit "far below target": level < ratio × target
    double energy_tolerance = 0.25;   // relative deviation of metered vs expected power
    double energy_tolerance_w = 50;   // and at least this many watts (small loads are noisy)
};

// One DALI gear after a status sweep (the DALI room's per-gear status).
struct GearStatus {
    std::string luminaire;
    std::string area;
    bool available = true;        // answered this sweep
    bool lamp_failure = false;    // status bit 1 (IEC 62386-102, QUERY STATUS)
    bool gear_failure = false;    // status bit 0
    std::optional<double> level;  // read-back actual level, percent
    // False while the gear's bus has no power or no interface: the bus fault
    // explains the silence, so no per-gear observations are made (a dead bus
    // of 64 gear is one critical fault, not 65).
    bool bus_ok = true;
};

// What the policy wants for that luminaire.
struct TargetState {
    double target = 0;          // percent
    SystemTime target_since{};  // when the target last changed (fade grace)
};

// lamp_failure, gear_failure, no_answer, day_burner, night_outage for one gear
// (night_outage only when the gear reports no lamp/gear failure explaining it).
// Status bits and levels of an unanswered gear are unknown: only no_answer is
// judged then (the others keep their debounce state: no observation).
std::vector<Observation> observe_gear(SystemTime now, const GearStatus& gear, const TargetState& target,
                                      const DetectionSettings& settings);

struct BusStatus {
    std::string bus;
    bool interface_up = true;  // the USB/TCP interface answers
    bool bus_powered = true;   // the interface sees DALI bus power
};
std::vector<Observation> observe_bus(SystemTime now, const BusStatus& bus);

// One Modbus device after a poll (the Modbus room's facts).
struct MeterStatus {
    std::string meter;
    std::string area;  // first area the meter measures, for severity; may be empty
    bool available = true;
    std::optional<bool> door_open;            // cabinet door switch, when the template has one
    std::optional<bool> contactor_commanded;  // what we drive
    std::optional<bool> contactor_feedback;   // what the auxiliary contact says
    std::optional<double> active_power_w;
};
// meter_offline, door_open (target cabinet/<meter>), contactor_mismatch.
std::vector<Observation> observe_meter(SystemTime now, const MeterStatus& meter);

// One luminaire behind a meter, for the expected power.
struct MeteredLoad {
    double rated_w = 0;
    double level = 0;  // read-back percent (0 when unknown and target 0)
};
// energy_anomaly: |measured − Σ rated_w × level/100| beyond both tolerances;
// when everything behind the meter should be off but power flows, it is a
// day_burner on the meter instead. Needs active_power_w; none → no observation.
std::vector<Observation> observe_energy(SystemTime now, const MeterStatus& meter,
                                        const std::vector<MeteredLoad>& loads,
                                        const DetectionSettings& settings);

}  // namespace lykta::faults
