#include "gateway/lighting/target_report.hpp"

#include <cmath>

namespace lykta::lighting {
namespace {

// Two target levels closer than this are the same DALI arc level anyway.
constexpr double level_epsilon = 0.05;

policy::PolicyInputs normal_inputs(const policy::PolicyInputs& inputs) {
    // "Normal" = the same inputs without safety flags: what the schedule alone gives.
    // The nights are shared: a night depends on profile, place and date only (the
    // cache checks each entry against them), not on flags. A fresh cache here
    // resolved every area's night again (solar equations) on every evaluation.
    auto normal = inputs;
    normal.flags.clear();
    return normal;
}

LuminaireTarget target_of(const policy::Decision& d, double normal_level) {
    return {d.luminaire,  d.area,   d.level,
            normal_level, d.fade_s, std::string(policy::to_string(d.reason.source))};
}

}  // namespace

void TargetReport::all(const policy::PolicyInputs& inputs, const std::vector<policy::Decision>& decisions,
                       SystemTime now) {
    if (observers_.empty()) return;
    bool changed = told_.size() != decisions.size();
    for (std::size_t i = 0; i < decisions.size() && !changed; ++i)
        changed = std::abs(told_[i].target - decisions[i].level) > level_epsilon;
    if (!changed) return;
    const auto normal = policy::levels_all(normal_inputs(inputs), now);
    told_.clear();
    told_.reserve(decisions.size());
    for (std::size_t i = 0; i < decisions.size(); ++i)
        told_.push_back(target_of(decisions[i], i < normal.size() ? normal[i] : decisions[i].level));
    for (auto* o : observers_) o->on_targets(now, told_);
}

void TargetReport::some(const policy::PolicyInputs& inputs, const std::vector<policy::Decision>& decisions,
                        const std::vector<std::size_t>& indices, SystemTime now) {
    if (observers_.empty()) return;
    if (told_.size() != decisions.size()) return all(inputs, decisions, now);
    bool changed = false;
    for (auto i : indices)
        changed = changed || std::abs(told_[i].target - decisions[i].level) > level_epsilon;
    if (!changed) return;
    // Only these changed: their normal levels, the others' stay as last told.
    const auto normal = policy::decide_some(normal_inputs(inputs), indices, now);
    for (std::size_t k = 0; k < indices.size() && k < normal.size(); ++k)
        told_[indices[k]] = target_of(decisions[indices[k]], normal[k].level);
    for (auto* o : observers_) o->on_targets(now, told_);
}

}  // namespace lykta::lighting
