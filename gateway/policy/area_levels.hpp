#pragma once
// The two automatic layers of an area at an instant: its schedule (calendar
// or default profile, carried over from the previous night before the first
// step) and its safety flags in force with their profiles.
#include <optional>
#include <string>
#include <vector>

#include "gateway/config/model.hpp"
#include "gateway/policy/calendar.hpp"
#include "gateway/policy/night.hpp"
#include "gateway/policy/night_cache.hpp"
#include "gateway/policy/safety_flag.hpp"

namespace lykta::policy {

struct ScheduleLevel {
    ProfileChoice choice;           // tonight's profile
    std::string governing_profile;  // whose step sets the level (last night's when carried over)
    NightLevel level;
};
ScheduleLevel schedule_level(const config::Schedule& schedule, const config::Area& area, const Place& place,
                             SystemTime t, NightCache* cache = nullptr);

struct SafetyLevel {
    const SafetyFlag* flag = nullptr;
    std::string profile_name;
    bool profile_missing = false;  // neither the flag nor the area names an existing profile
    NightLevel level;              // of the safety profile (its floor already applied to lit steps)
    double floor = 0;
    std::optional<SystemTime> flag_end;
};
// Every flag of the area in force at t, the strongest first (level, then floor).
std::vector<SafetyLevel> safety_levels(const config::Schedule& schedule, const config::Area& area,
                                       const std::vector<SafetyFlag>& flags, const Place& place, SystemTime t,
                                       NightCache* cache = nullptr);

// The safety rule, in one place: while lit (schedule or safety profile above
// 0) the level is max(schedule, safety profiles, their floors); dark stays dark.
// The fade follows whichever side raised the level. `flags` must not be empty.
// Part-night exemption: while the schedule is in a part-night off
// (NightLevel::part_night_off) a flag in force keeps the area lit at
// max(safety level, floor), or at the schedule's level before the switch-off
// when the safety profiles give neither (docs/policy.md).
struct SafetyCombination {
    bool part_night_exempt = false;  // the part-night off was suppressed
    double level = 0;
    double fade_s = 0;
    double safety_level = 0;  // max of the safety profiles' levels
    double floor = 0;         // max of their floors
};
SafetyCombination combine_with_safety(const ScheduleLevel& schedule, const std::vector<SafetyLevel>& flags);

}  // namespace lykta::policy
