#pragma once
// The cabinet room's meter status in the terms of the fault detectors. Pure.
#include "gateway/cabinet/meter_observer.hpp"
#include "gateway/faults/detectors.hpp"

namespace lykta::faults {

// The fault's area is the first area the meter measures (severity escalation
// follows that area's safety flag); empty for a meter bound to no area.
MeterStatus fault_meter_status(const cabinet::MeterStatus& status);

}  // namespace lykta::faults
