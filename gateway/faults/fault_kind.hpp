#pragma once
// The fault kinds of the API (docs/mqtt-api.md, "A fault") and their base
// severities (docs/faults.md has the table and the reasons).
#include <optional>
#include <string>
#include <string_view>

namespace lykta::faults {

enum class FaultKind {
    lamp_failure,
    gear_failure,
    no_answer,
    bus_power,
    interface_down,
    day_burner,
    night_outage,
    energy_anomaly,
    meter_offline,
    door_open,
    contactor_mismatch,
    photocell_disagreement,
    clock_unsynchronised,
    clock_jump,
    storage_failure,     // the store cannot be written (disk full, I/O error): raised by storage_fault.hpp
    uplink_credentials,  // an MQTT credential, CA, certificate or key file cannot be read: no uplink
};

inline constexpr FaultKind all_kinds[] = {
    FaultKind::lamp_failure,
    FaultKind::gear_failure,
    FaultKind::no_answer,
    FaultKind::bus_power,
    FaultKind::interface_down,
    FaultKind::day_burner,
    FaultKind::night_outage,
    FaultKind::energy_anomaly,
    FaultKind::meter_offline,
    FaultKind::door_open,
    FaultKind::contactor_mismatch,
    FaultKind::photocell_disagreement,
    FaultKind::clock_unsynchronised,
    FaultKind::clock_jump,
    FaultKind::storage_failure,
    FaultKind::uplink_credentials,
};

// Ordered: a larger value is more severe.
enum class Severity { minor = 0, major = 1, critical = 2 };

std::string_view to_string(FaultKind kind);
std::optional<FaultKind> parse_kind(std::string_view text);
std::string_view to_string(Severity severity);

// Severity of a kind in an area without a safety flag in force.
Severity base_severity(FaultKind kind);
// One step higher while the area's safety flag is in force (critical stays critical).
Severity effective_severity(FaultKind kind, bool safety_in_force);

}  // namespace lykta::faults
