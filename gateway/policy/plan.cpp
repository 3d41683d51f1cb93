#include "gateway/policy/plan.hpp"

#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace lykta::policy {
namespace {

std::string percent(double level) {
    char text[16];
    std::snprintf(text, sizeof text, "%5g %%", level);
    return text;
}

std::string sun_text(const SolarEvent& e, const Place& place) {
    if (e.occurs()) return place.local_clock(e.time);
    return e.kind == SolarEvent::Kind::sun_always_above ? "none (sun stays up)" : "none (sun stays down)";
}

std::vector<FlagWindowInNight> flag_windows(const PolicyInputs& in, const config::Area& area,
                                            SystemTime start, SystemTime end) {
    std::vector<FlagWindowInNight> out;
    for (const auto& flag : in.flags) {
        if (flag.area != area.id) continue;
        SystemTime t = start;
        for (int guard = 0; guard < 64 && t < end; ++guard) {
            if (in_force(flag, in.place, t)) {
                auto change = next_flag_change(flag, in.place, t);
                const SystemTime until = change ? std::min(*change, end) : end;
                out.push_back({flag.id, flag.source, flag.reason,
                               flag.profile.empty() ? area.safety_profile : flag.profile, t, until});
                t = until;
            } else {
                auto change = next_flag_change(flag, in.place, t);
                if (!change) break;
                t = *change;
            }
        }
    }
    return out;
}

}  // namespace

AreaPlan plan_area(const PolicyInputs& inputs, const std::string& area_id, date::local_days night) {
    const auto* area = inputs.config->find_area(area_id);
    if (!area) throw std::invalid_argument("no area '" + area_id + "' in the configuration");
    const Place& place = inputs.place;
    AreaPlan plan;
    plan.area = area->id;
    plan.area_name = area->name;
    plan.night = night;
    plan.start = place.night_start(night);
    plan.end = place.night_end(night);
    plan.choice = choose_profile(inputs.config->schedule, *area, night);
    if (plan.choice.profile) plan.steps = resolve_night(*plan.choice.profile, place, night).steps;
    const auto evening = [&](SunEvent e) {
        return solar_event(place.latitude, place.longitude, *place.zone, night, e);
    };
    const auto morning = [&](SunEvent e) {
        return solar_event(place.latitude, place.longitude, *place.zone, night + date::days{1}, e);
    };
    plan.sunset = evening(SunEvent::sunset);
    plan.civil_dusk = evening(SunEvent::civil_dusk);
    plan.civil_dawn = morning(SunEvent::civil_dawn);
    plan.sunrise = morning(SunEvent::sunrise);
    plan.flags = flag_windows(inputs, *area, plan.start, plan.end);

    // Walk every transition of the night; keep the instants where this area changes.
    SystemTime t = plan.start;
    for (int guard = 0; guard < 1000 && t < plan.end; ++guard) {
        const auto d = decide_area(inputs, *area, t);
        if (plan.timeline.empty() || plan.timeline.back().level != d.level ||
            plan.timeline.back().source != d.reason.source || plan.timeline.back().id != d.reason.id)
            plan.timeline.push_back({t, d.level, d.fade_s, d.reason.source, d.reason.id, d.reason.detail});
        auto next = next_transition(inputs, t);
        if (!next) break;
        t = *next;
    }
    return plan;
}

std::string render_plan_text(const AreaPlan& plan, const Place& place) {
    std::ostringstream out;
    out << "Area " << plan.area;
    if (!plan.area_name.empty()) out << " (" << plan.area_name << ")";
    out << ", night of " << date::format("%F (%a)", plan.night) << ", " << place.zone->name() << "\n";
    out << "Profile: " << plan.choice.profile_name
        << (plan.choice.from_calendar() ? " (calendar rule '" + plan.choice.rule + "')" : " (area default)");
    if (!plan.choice.profile) out << " -- NOT DEFINED, the area stays dark";
    if (plan.choice.disabled) out << " -- lighting disabled tonight";
    out << "\n";
    out << "Sun: sunset " << sun_text(plan.sunset, place) << ", civil dusk "
        << sun_text(plan.civil_dusk, place) << "; civil dawn " << sun_text(plan.civil_dawn, place)
        << ", sunrise " << sun_text(plan.sunrise, place) << "\n";
    out << "Steps:\n";
    for (const auto& s : plan.steps) {
        out << "  " << place.local_clock(s.at) << "  " << percent(s.level) << "  fade " << s.fade_s << " s  "
            << s.expr.to_string();
        if (!s.note.empty()) out << "  [" << s.note << "]";
        out << "\n";
    }
    if (plan.flags.empty()) {
        out << "Safety flags: none in force this night\n";
    } else {
        out << "Safety flags:\n";
        for (const auto& f : plan.flags) {
            out << "  " << f.id << "  " << place.local_clock(f.start) << "-" << place.local_clock(f.end)
                << "  profile " << f.profile;
            if (!f.source.empty()) out << "  (" << f.source << ")";
            out << "\n";
        }
    }
    out << "Timeline (effective level):\n";
    for (const auto& e : plan.timeline)
        out << "  " << place.local_clock(e.at) << "  " << percent(e.level) << "  " << to_string(e.source)
            << " " << e.id << "\n";
    return out.str();
}

}  // namespace lykta::policy
