#include "gateway/policy/night.hpp"

#include <algorithm>

#include "gateway/policy/solar.hpp"

namespace lykta::policy {
namespace {

SunEvent sun_event_of(config::TimeExpr::Base base) {
    switch (base) {
        case config::TimeExpr::Base::sunrise:
            return SunEvent::sunrise;
        case config::TimeExpr::Base::sunset:
            return SunEvent::sunset;
        case config::TimeExpr::Base::civil_dawn:
            return SunEvent::civil_dawn;
        default:
            return SunEvent::civil_dusk;
    }
}

struct Placement {
    std::optional<SystemTime> at;  // nullopt: the step does not happen this night
    std::string note;
};

Placement place_step(const config::TimeExpr& expr, const Place& place, const Night& night) {
    if (!expr.is_astro()) {
        const auto day = expr.minutes >= 12 * 60 ? night.date : night.date + date::days{1};
        return {place.at_local(day, expr.minutes), {}};
    }
    const SunEvent event = sun_event_of(expr.base);
    const bool morning = is_morning(event);
    const auto sun_day = morning ? night.date + date::days{1} : night.date;
    const SolarEvent sun = solar_event(place.latitude, place.longitude, *place.zone, sun_day, event);
    if (sun.occurs()) return {sun.time + std::chrono::minutes{expr.minutes}, {}};
    const bool above = sun.kind == SolarEvent::Kind::sun_always_above;
    if (morning == above)
        return {night.start, std::string(above ? "sun stays up" : "sun stays down") + ": " +
                                 expr.to_string() + " taken as the start of the night"};
    return {std::nullopt, std::string(above ? "sun stays up" : "sun stays down") + ": " + expr.to_string() +
                              " does not occur"};
}

}  // namespace

Night resolve_night(const config::Profile& profile, const Place& place, date::local_days night_date) {
    Night night{night_date, place.night_start(night_date), place.night_end(night_date), {}};
    for (std::size_t i = 0; i < profile.steps.size(); ++i) {
        const auto& step = profile.steps[i];
        Placement p = place_step(step.at, place, night);
        if (!p.at) continue;  // dropped: see the header
        SystemTime at = *p.at;
        std::string note = p.note;
        if (at < night.start || at > night.end) {
            at = std::clamp(at, night.start, night.end);
            if (note.empty()) note = step.at.to_string() + " falls outside the night: clamped to its edge";
        }
        if (!night.steps.empty() && at < night.steps.back().at) {
            const auto& previous = night.steps.back();
            at = previous.at;
            note = step.at.to_string() + " comes before " + previous.expr.to_string() +
                   " this night: moved to it and takes over";
        }
        double level = step.level;
        if (level > 0 && profile.floor) level = std::max(level, *profile.floor);
        night.steps.push_back({at, level, step.fade_s, i, step.at, std::move(note)});
    }
    return night;
}

NightLevel level_in_night(const Night& night, const Night* previous, SystemTime t) {
    NightLevel result;
    result.next_change = night.end;
    // Last step at or before t; a later-listed step at the same instant wins.
    auto after = std::upper_bound(night.steps.begin(), night.steps.end(), t,
                                  [](SystemTime value, const ResolvedStep& s) { return value < s.at; });
    if (after != night.steps.end()) result.next_change = after->at;
    if (after != night.steps.begin()) {
        result.step = *(after - 1);
    } else if (previous && !previous->steps.empty()) {
        result.step = previous->steps.back();
        result.carried_over = true;
    }
    if (result.step) {
        result.level = result.step->level;
        result.fade_s = result.step->fade_s;
    }
    return result;
}

NightLevel level_at(const config::Profile& profile, const Place& place, SystemTime t) {
    const auto date = place.night_of(t);
    const Night night = resolve_night(profile, place, date);
    const Night previous = resolve_night(profile, place, date - date::days{1});
    return level_in_night(night, &previous, t);
}

Night resolve_night(const config::Profile& profile, const config::Site& site, date::local_days night) {
    return resolve_night(profile, Place::of(site), night);
}

NightLevel level_at(const config::Profile& profile, const config::Site& site, SystemTime t) {
    return level_at(profile, Place::of(site), t);
}

}  // namespace lykta::policy
