#pragma once
// The meters room's status in the terms of the fault detectors, and a meter's
// energy delta split over the areas it measures. Pure.
#include <map>
#include <string>
#include <vector>

#include "gateway/cabinet/meter_observer.hpp"
#include "gateway/faults/detectors.hpp"

namespace lykta::accounting {

// The fault's area is the first area the meter measures (severity escalation
// follows that area's safety flag); empty for a meter bound to no area.
faults::MeterStatus fault_meter_status(const cabinet::MeterStatus& status);

// Splits `kwh` over `areas` in proportion to each area's estimated power (W,
// from the read-back levels); evenly when nothing is known to burn. One area
// takes it all. Areas absent from `estimated_w` count as 0 W.
std::map<std::string, double> split_energy(double kwh, const std::vector<std::string>& areas,
                                           const std::map<std::string, double>& estimated_w);

}  // namespace lykta::accounting
