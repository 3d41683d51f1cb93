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

// A step that belongs to the morning side of the night.
bool is_morning_step(const config::TimeExpr& expr) {
    using B = config::TimeExpr::Base;
    switch (expr.base) {
        case B::clock:
            return expr.minutes < 12 * 60;
        case B::sunrise:
        case B::civil_dawn:
            return true;
        case B::sun_elevation:
            return expr.direction == config::TimeExpr::Direction::rising;
        default:
            return false;
    }
}

// `morning_side`: an undirected sun(E) step is rising (see the header).
Placement place_step(const config::TimeExpr& expr, const Place& place, const Night& night,
                     bool morning_side) {
    if (!expr.is_astro()) {
        const auto day = expr.minutes >= 12 * 60 ? night.date : night.date + date::days{1};
        return {place.at_local(day, expr.minutes), {}};
    }
    bool morning = false;
    double altitude = 0;
    if (expr.base == config::TimeExpr::Base::sun_elevation) {
        morning = expr.direction == config::TimeExpr::Direction::automatic
                      ? morning_side
                      : expr.direction == config::TimeExpr::Direction::rising;
        altitude = expr.elevation_deg;
    } else {
        const SunEvent event = sun_event_of(expr.base);
        morning = is_morning(event);
        altitude = event_altitude_deg(event);
    }
    const auto sun_day = morning ? night.date + date::days{1} : night.date;
    const SolarEvent sun =
        solar_crossing(place.latitude, place.longitude, *place.zone, sun_day, altitude, morning);
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
    bool morning_side = false;  // a morning step or an elevation step came before
    for (std::size_t i = 0; i < profile.steps.size(); ++i) {
        const auto& step = profile.steps[i];
        Placement p = place_step(step.at, place, night, morning_side);
        if (is_morning_step(step.at) || step.at.base == config::TimeExpr::Base::sun_elevation)
            morning_side = true;
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
    if (result.step && !result.carried_over && result.level == 0) {
        // A lit step counts only when it governs for a while: not overtaken
        // by a later-listed step at the same instant (the monotone rule).
        const auto governs_lit = [&](std::vector<ResolvedStep>::const_iterator s) {
            return s->level > 0 && (s + 1 == night.steps.end() || (s + 1)->at != s->at);
        };
        bool later_lit = false;
        for (auto s = after; s != night.steps.end() && !later_lit; ++s) later_lit = governs_lit(s);
        for (auto s = after - 1; later_lit && s != night.steps.begin();) {
            --s;
            if (governs_lit(s)) {
                result.part_night_off = true;
                result.lit_before = s->level;
                break;
            }
        }
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
