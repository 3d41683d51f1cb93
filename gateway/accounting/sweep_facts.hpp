#pragma once
// What one DALI sweep means for fault detection: the DALI room reports raw gear
// answers per short address; the detectors want luminaire ids, areas and one
// verdict on the bus. Pure.
#include <vector>

#include "drivers/dali/bus.hpp"
#include "gateway/config/model.hpp"
#include "gateway/faults/detectors.hpp"

namespace lykta::accounting {

struct SweepFacts {
    faults::BusStatus bus;
    std::vector<faults::GearStatus> gear;  // configured luminaires only, in sweep order
};

// `reachable` is false when no gear answered. Why is in the gear's `problem`:
// a power loss gives `bus_power`, an interface error or timeout `interface_down`;
// gear that are merely silent ("no answer") leave the bus healthy, so each gets
// its own `no_answer`. While the bus is faulty no gear is judged (bus_ok=false).
SweepFacts sweep_facts(const config::Config& config, const config::DaliBus& bus,
                       const std::vector<dali::GearStatus>& statuses, bool reachable);

}  // namespace lykta::accounting
