#pragma once
// What one DALI sweep means for fault detection: the luminaires room reports
// each configured gear with its verdict (gives light or not); the detectors
// want luminaire ids, areas and one verdict on the bus. Pure.
#include <optional>
#include <vector>

#include "gateway/faults/detectors.hpp"
#include "gateway/luminaires/sweep.hpp"

namespace lykta::faults {

struct SweptGear {
    GearStatus status;
    // Percent of light it gives, as the luminaires room decided (0 for a
    // failed lamp or gear); none while unknown.
    std::optional<double> light;
};

struct SweepFacts {
    BusStatus bus;
    std::vector<SweptGear> gear;  // configured luminaires only, in sweep order
};

// A sweep whose bus is unreachable (no gear answered): why is in the gear's
// `problem`: a power loss gives `bus_power`, an interface error or timeout
// `interface_down`; gear that are merely silent ("no answer") leave the bus
// healthy, so each gets its own `no_answer`. While the bus is faulty no gear
// is judged (bus_ok=false).
SweepFacts sweep_facts(const luminaires::Sweep& sweep);

}  // namespace lykta::faults
