#include "gateway/faults/fault_kind.hpp"

#include <algorithm>

namespace lykta::faults {

std::string_view to_string(FaultKind kind) {
    switch (kind) {
        case FaultKind::lamp_failure:
            return "lamp_failure";
        case FaultKind::gear_failure:
            return "gear_failure";
        case FaultKind::no_answer:
            return "no_answer";
        case FaultKind::bus_power:
            return "bus_power";
        case FaultKind::interface_down:
            return "interface_down";
        case FaultKind::day_burner:
            return "day_burner";
        case FaultKind::night_outage:
            return "night_outage";
        case FaultKind::energy_anomaly:
            return "energy_anomaly";
        case FaultKind::meter_offline:
            return "meter_offline";
        case FaultKind::door_open:
            return "door_open";
        case FaultKind::contactor_mismatch:
            return "contactor_mismatch";
        case FaultKind::storage_failure:
            return "storage_failure";
        case FaultKind::photocell_disagreement:
            return "photocell_disagreement";
        case FaultKind::clock_unsynchronised:
            return "clock_unsynchronised";
        case FaultKind::clock_jump:
            return "clock_jump";
        case FaultKind::uplink_credentials:
            return "uplink_credentials";
    }
    return "unknown";
}

std::optional<FaultKind> parse_kind(std::string_view text) {
    for (auto kind : all_kinds)
        if (to_string(kind) == text) return kind;
    return std::nullopt;
}

std::string_view to_string(Severity severity) {
    switch (severity) {
        case Severity::minor:
            return "minor";
        case Severity::major:
            return "major";
        case Severity::critical:
            return "critical";
    }
    return "minor";
}

// Why these: a dark street (many luminaires, or the whole bus) is the safety
// problem the gateway exists to prevent, so bus-wide and outage faults are
// critical; one dark luminaire is major; waste (day burner, energy) and cabinet
// housekeeping is minor. A store that cannot be written loses fault history,
// statistics and every event the platform should get, for the whole cabinet,
// and nobody on site will notice: critical.
Severity base_severity(FaultKind kind) {
    switch (kind) {
        case FaultKind::bus_power:
        case FaultKind::interface_down:
        case FaultKind::night_outage:
        case FaultKind::contactor_mismatch:
        case FaultKind::storage_failure:
            return Severity::critical;
        case FaultKind::lamp_failure:
        case FaultKind::gear_failure:
        case FaultKind::no_answer:
        case FaultKind::meter_offline:
        case FaultKind::clock_unsynchronised:  // astro and clock steps follow a clock nobody vouches for
        case FaultKind::uplink_credentials:    // the lights run on; nobody off site hears of any fault
            return Severity::major;
        case FaultKind::day_burner:
        case FaultKind::energy_anomaly:
        case FaultKind::door_open:
        case FaultKind::photocell_disagreement:  // the astro clock has taken over
        case FaultKind::clock_jump:              // already re-planned; a record for the operator
            return Severity::minor;
    }
    return Severity::minor;
}

Severity effective_severity(FaultKind kind, bool safety_in_force) {
    auto base = base_severity(kind);
    if (!safety_in_force) return base;
    return static_cast<Severity>(std::min(static_cast<int>(base) + 1, static_cast<int>(Severity::critical)));
}

}  // namespace lykta::faults
