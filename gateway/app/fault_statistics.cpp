#include "gateway/app/fault_statistics.hpp"

namespace lykta {

stats::AreaFault area_fault(const faults::Fault& fault) {
    return {fault.area, fault.since, fault.cleared_at};
}

void count_faults(faults::FaultsFeature& faults, stats::StatsFeature& statistics) {
    faults.add_listener(
        {[&statistics](const faults::Fault& f) { statistics.on_fault_raised(area_fault(f)); },
         [&statistics](const faults::Fault& f) { statistics.on_fault_cleared(area_fault(f)); }});
}

}  // namespace lykta
