#pragma once
// The observers of the lighting policy (faults, statistics, contactors) and
// what they were last told of every luminaire's target: after an evaluation
// they hear the complete list again only when some target moved, and a
// command that re-decided a few luminaires updates just those entries (with
// their "normal" levels, what the schedule alone gives without safety flags).
// Loop thread only.
#include <vector>

#include "gateway/lighting/lighting_observer.hpp"
#include "gateway/policy/arbitration.hpp"

namespace lykta::lighting {

class TargetReport {
public:
    // Not owned; must outlive the report.
    void add(LightingObserver* observer) { observers_.push_back(observer); }
    void remove(LightingObserver* observer) { std::erase(observers_, observer); }
    const std::vector<LightingObserver*>& observers() const { return observers_; }

    // Every luminaire was decided (`decisions`, config order) from `inputs` at `now`.
    void all(const policy::PolicyInputs& inputs, const std::vector<policy::Decision>& decisions,
             SystemTime now);
    // Only decisions[i] for these i were decided again.
    void some(const policy::PolicyInputs& inputs, const std::vector<policy::Decision>& decisions,
              const std::vector<std::size_t>& indices, SystemTime now);

private:
    std::vector<LightingObserver*> observers_;
    std::vector<LuminaireTarget> told_;  // config order
};

}  // namespace lykta::lighting
