#pragma once
// The fast path for actuation: every luminaire's level, fade and deciding
// layer at an instant, without the explanation text and layer stack that
// decide()/decide_all() build for `explain`. Same rules, same results
// (tests/unit/policy/test_targets.cpp holds the two together).
#include <string>
#include <vector>

#include "gateway/policy/arbitration.hpp"

namespace lykta::policy {

struct Target {
    std::string luminaire;
    std::string area;
    double level = 0;
    double fade_s = 0;
    Source source = Source::default_profile;
    std::string id;  // as Reason::id
    friend bool operator==(const Target&, const Target&) = default;
};

// One target per configured luminaire, in config order.
std::vector<Target> targets_all(const PolicyInputs& inputs, SystemTime t);

}  // namespace lykta::policy
