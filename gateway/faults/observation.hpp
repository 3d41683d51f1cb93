#pragma once
// One confirmed-or-not fact about one target at one time: the detectors turn
// driver and policy state into these, the debouncer counts them. A detector
// emits `active=false` too when the condition is absent, so a fault can clear.
#include <string>

#include "gateway/core/clock.hpp"
#include "gateway/faults/fault_kind.hpp"

namespace lykta::faults {

struct Observation {
    SystemTime time;
    FaultKind kind = FaultKind::lamp_failure;
    std::string target;  // "luminaire/L-12", "meter/meter1", "bus/bus1", "cabinet/io1"
    std::string area;    // empty for targets not bound to one area (a bus)
    bool active = false;
    std::string detail;  // human readable, kept from the raising observation
};

inline std::string luminaire_target(const std::string& id) {
    return "luminaire/" + id;
}
inline std::string meter_target(const std::string& id) {
    return "meter/" + id;
}
inline std::string bus_target(const std::string& id) {
    return "bus/" + id;
}
inline std::string cabinet_target(const std::string& id) {
    return "cabinet/" + id;
}

}  // namespace lykta::faults
