#include "gateway/policy/photocell_gate.hpp"

#include "gateway/policy/level_text.hpp"

namespace lykta::policy {
namespace {

// The level the schedule lights at nearest to t: the last lit step at or
// before t (morning, after the switch-off), else the first one after t (evening).
const ResolvedStep* nearest_lit_step(const Night& night, SystemTime t) {
    const ResolvedStep* before = nullptr;
    for (const auto& s : night.steps)
        if (s.at <= t && s.level > 0) before = &s;
    if (before) return before;
    for (const auto& s : night.steps)
        if (s.at > t && s.level > 0) return &s;
    return nullptr;
}

}  // namespace

const char* to_string(PhotocellDecision::Basis basis) {
    switch (basis) {
        case PhotocellDecision::Basis::sensor:
            return "sensor";
        case PhotocellDecision::Basis::window:
            return "window";
        case PhotocellDecision::Basis::astro_fallback:
            return "astro_fallback";
    }
    return "window";
}

GatedSchedule gate_schedule(const AreaPhotocell& photocell, const ScheduleLevel& schedule, const Place& place,
                            SystemTime t, NightCache* cache) {
    GatedSchedule g;
    g.level = schedule.level.level;
    g.fade_s = schedule.level.fade_s;
    if (!photocell.holds_at(t)) return g;
    const auto& v = photocell.verdict;
    const std::string name = "photocell '" + photocell.photocell + "'";
    if (v.basis != PhotocellDecision::Basis::sensor) {
        g.detail = name + ": " + v.reason + " (the schedule's own steps decide)";
        return g;
    }
    g.gated = true;
    if (!v.lit) {
        g.level = 0;
        g.detail = name + ": " + v.reason + " -> dark";
        return g;
    }
    if (schedule.level.level <= 0) {
        const ResolvedStep* step = nullptr;
        if (schedule.choice.profile && !schedule.level.part_night_off) {
            const auto night_date = place.night_of(t);
            const Night night = cache ? cache->get(*schedule.choice.profile, place, night_date)
                                      : resolve_night(*schedule.choice.profile, place, night_date);
            step = nearest_lit_step(night, t);
            if (step) {
                g.level = step->level;
                g.fade_s = step->fade_s;
            }
        }
        if (!step) {
            g.detail = name + ": " + v.reason + ", but the schedule has no lit step tonight -> dark";
            return g;
        }
    }
    g.detail = name + ": " + v.reason + " -> " + level_text(g.level);
    return g;
}

}  // namespace lykta::policy
