#pragma once
// Planning ahead: what an area will do on one lighting night (noon to noon),
// for `lyktactl plan` and operators checking a schedule before pushing it.
#include <optional>
#include <string>
#include <vector>

#include "gateway/policy/arbitration.hpp"
#include "gateway/policy/calendar.hpp"
#include "gateway/policy/night.hpp"
#include "gateway/policy/solar.hpp"

namespace lykta::policy {

struct FlagWindowInNight {
    std::string id;
    std::string source;
    std::string reason;
    std::string profile;  // the safety profile it runs
    SystemTime start{};   // clipped to the night
    SystemTime end{};
};

struct TimelineEntry {  // the area's effective level from `at` until the next entry
    SystemTime at{};
    double level = 0;
    double fade_s = 0;
    Source source = Source::default_profile;
    std::string id;
    std::string detail;
};

struct AreaPlan {
    std::string area;
    std::string area_name;
    date::local_days night;
    SystemTime start{};
    SystemTime end{};
    ProfileChoice choice;
    std::vector<ResolvedStep> steps;  // of the chosen profile
    SolarEvent sunset;                // evening of the night's date
    SolarEvent civil_dusk;
    SolarEvent civil_dawn;  // next morning
    SolarEvent sunrise;
    std::vector<FlagWindowInNight> flags;
    std::vector<TimelineEntry> timeline;  // with flags and overrides in `inputs`
};

// Throws std::invalid_argument when the area does not exist.
AreaPlan plan_area(const PolicyInputs& inputs, const std::string& area, date::local_days night);

// Human-readable, local times.
std::string render_plan_text(const AreaPlan& plan, const Place& place);

}  // namespace lykta::policy
