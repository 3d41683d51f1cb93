#include "gateway/policy/area_levels.hpp"

#include <algorithm>

namespace lykta::policy {

ScheduleLevel schedule_level(const config::Schedule& schedule, const config::Area& area, const Place& place,
                             SystemTime t, NightCache* cache) {
    const auto night_date = place.night_of(t);
    ScheduleLevel out;
    out.choice = choose_profile(schedule, area, night_date);
    const auto previous_choice = choose_profile(schedule, area, night_date - date::days{1});
    auto resolve = [&](const config::Profile& p, date::local_days d) {
        return cache ? cache->get(p, place, d) : resolve_night(p, place, d);
    };
    Night night{night_date, place.night_start(night_date), place.night_end(night_date), {}};
    if (out.choice.profile) night = resolve(*out.choice.profile, night_date);
    std::optional<Night> previous;
    if (previous_choice.profile) previous = resolve(*previous_choice.profile, night_date - date::days{1});
    out.level = level_in_night(night, previous ? &*previous : nullptr, t);
    out.governing_profile = out.level.carried_over ? previous_choice.profile_name : out.choice.profile_name;
    return out;
}

std::vector<SafetyLevel> safety_levels(const config::Schedule& schedule, const config::Area& area,
                                       const std::vector<SafetyFlag>& flags, const Place& place, SystemTime t,
                                       NightCache* cache) {
    std::vector<SafetyLevel> out;
    for (const auto& flag : flags) {
        if (flag.area != area.id || !in_force(flag, place, t)) continue;
        SafetyLevel s;
        s.flag = &flag;
        s.profile_name = flag.profile.empty() ? area.safety_profile : flag.profile;
        const auto* profile = find_profile(schedule, s.profile_name);
        s.profile_missing = profile == nullptr;
        if (profile) {
            s.level = level_at(*profile, place, t, cache);
            s.floor = profile->floor.value_or(0);
        }
        if (auto w = force_window(flag, place, t)) s.flag_end = w->end;
        out.push_back(std::move(s));
    }
    std::stable_sort(out.begin(), out.end(), [](const SafetyLevel& a, const SafetyLevel& b) {
        if (a.level.level != b.level.level) return a.level.level > b.level.level;
        return a.floor > b.floor;
    });
    return out;
}

SafetyCombination combine_with_safety(const ScheduleLevel& schedule, const std::vector<SafetyLevel>& flags) {
    SafetyCombination c;
    for (const auto& f : flags) {
        c.safety_level = std::max(c.safety_level, f.level.level);
        c.floor = std::max(c.floor, f.floor);
    }
    const double combined = std::max(schedule.level.level, c.safety_level);
    c.level = combined > 0 ? std::max(combined, c.floor) : 0;
    if (schedule.level.part_night_off && !flags.empty()) {
        c.part_night_exempt = true;
        const double kept = std::max(c.safety_level, c.floor);
        c.level = kept > 0 ? kept : schedule.level.lit_before;
    }
    c.fade_s = c.safety_level > schedule.level.level && !flags.empty() ? flags.front().level.fade_s
                                                                       : schedule.level.fade_s;
    return c;
}

}  // namespace lykta::policy
