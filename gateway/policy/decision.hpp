#pragma once
// The result of arbitration for one luminaire at one instant, with the reason
// and the whole stack of layers, so `explain` can show why.
//
// Order, highest first: maintenance/identify > override (luminaire beats
// area) > safety > calendar profile > area default profile. Safety combines
// with the schedule instead of replacing it: level = max(schedule, safety
// profile) while lit, never below the safety profile's floor while lit.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/clock.hpp"

namespace lykta::policy {

enum class Source { maintenance, override_level, safety, schedule, default_profile };
// "maintenance", "override", "safety", "schedule", "default"
std::string_view to_string(Source source);

struct Reason {
    Source source = Source::default_profile;
    std::string id;      // maintenance/override/flag id, calendar rule name, or profile name for default
    std::string detail;  // human readable
    std::optional<SystemTime> until;  // next instant the decision may change; none: not by itself
};

struct Layer {
    Source source = Source::default_profile;
    bool applied = false;  // this layer decided the level (exactly one per decision)
    bool active = false;   // present and in force at the instant
    std::string id;
    std::optional<double> level;
    std::string detail;
};

struct Decision {
    std::string luminaire;  // empty for an area-level decision
    std::string area;
    double level = 0;
    double fade_s = 0;
    Reason reason;
    std::vector<Layer> stack;  // highest-ranked first
};

}  // namespace lykta::policy
