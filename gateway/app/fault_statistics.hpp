#pragma once
// Where faults meet statistics: the statistics count raises and repairs per
// area (faults_raised, repairs, mttr_hours) but know nothing of the faults
// room; this turns the faults feature's raises and clears into the
// statistics' own AreaFault. Pure, apart from the wiring.
#include "gateway/faults/fault.hpp"
#include "gateway/faults/faults_feature.hpp"
#include "gateway/stats/stats_feature.hpp"
#include "gateway/stats/stats_recorder.hpp"

namespace lykta {

stats::AreaFault area_fault(const faults::Fault& fault);

// Every fault `faults` stores as raised, or clears as a repair, is counted by
// `statistics` (which must live as long as `faults`).
void count_faults(faults::FaultsFeature& faults, stats::StatsFeature& statistics);

}  // namespace lykta
