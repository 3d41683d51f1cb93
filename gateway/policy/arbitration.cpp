#include "gateway/policy/arbitration.hpp"

#include <algorithm>
#include <unordered_map>

#include "gateway/policy/area_levels.hpp"
#include "gateway/policy/level_text.hpp"

namespace lykta::policy {
namespace {

void earliest(std::optional<SystemTime>& into, std::optional<SystemTime> candidate) {
    if (candidate && (!into || *candidate < *into)) into = candidate;
}

std::string step_detail(const Place& place, const std::string& profile, const NightLevel& level) {
    if (!level.step) return "profile " + profile + ": no step yet, dark";
    const auto& s = *level.step;
    std::string text = "profile " + profile + " step " + std::to_string(s.step_index + 1) + " '" +
                       s.expr.to_string() + "' " + level_text(s.level) + " since " +
                       place.local_datetime(s.at);
    if (level.carried_over) text += " (last night's final step)";
    if (!s.note.empty()) text += " [" + s.note + "]";
    return text;
}

// Safety, calendar and default layers of an area: everything below the operator's hand.
Decision automatic_decision(const PolicyInputs& in, const config::Area& area, SystemTime t) {
    const auto& place = in.place;
    Decision d;
    d.area = area.id;
    auto sched = schedule_level(in.config->schedule, area, place, t, in.nights.get());
    const auto flags = safety_levels(in.config->schedule, area, in.flags, place, t, in.nights.get());
    std::string photocell_detail;
    if (auto pc = in.photocells.find(area.id); pc != in.photocells.end()) {
        const auto gate = gate_schedule(pc->second, sched, place, t, in.nights.get());
        sched.level.level = gate.level;
        sched.level.fade_s = gate.fade_s;
        photocell_detail = gate.detail;
    }

    Layer safety{Source::safety, false, false, {}, {}, "no safety flag in force"};
    Layer calendar{Source::schedule, false, false, {}, {}, "no calendar rule matches tonight"};
    Layer fallback{Source::default_profile, false, true, area.profile, {}, {}};
    std::string sched_detail = step_detail(place, sched.governing_profile, sched.level);
    if (!photocell_detail.empty()) sched_detail += "; " + photocell_detail;
    if (sched.choice.from_calendar()) {
        calendar.active = true;
        calendar.id = sched.choice.rule;
        calendar.level = sched.level.level;
        calendar.detail = "calendar rule '" + sched.choice.rule + "': " + sched_detail;
        fallback.detail = "profile " + area.profile + " (not tonight: a calendar rule matches)";
    } else {
        fallback.level = sched.level.level;
        fallback.detail = sched_detail;
    }
    if (sched.choice.disabled)
        calendar.detail = "calendar rule '" + sched.choice.rule + "': no lighting tonight (disabled)";
    if (!sched.choice.profile) {
        (sched.choice.from_calendar() ? calendar : fallback).detail =
            "profile '" + sched.choice.profile_name + "' does not exist: dark";
    }

    d.level = sched.level.level;
    d.fade_s = sched.level.fade_s;
    Layer& sched_layer = sched.choice.from_calendar() ? calendar : fallback;
    sched_layer.applied = true;
    d.reason = {sched.choice.from_calendar() ? Source::schedule : Source::default_profile,
                sched.choice.from_calendar() ? sched.choice.rule : sched.choice.profile_name,
                sched_layer.detail, sched.level.next_change};
    for (const auto& f : in.flags)
        if (f.area == area.id) earliest(d.reason.until, next_flag_change(f, place, t));

    if (!flags.empty()) {
        const auto& top = flags.front();
        const auto combined = combine_with_safety(sched, flags);
        const double level = combined.level;
        const double safety_level = combined.safety_level;
        const double floor = combined.floor;
        const auto& flag = *top.flag;
        safety.active = true;
        safety.id = flag.id;
        safety.level = level;
        safety.detail = "flag '" + flag.id + "'";
        if (!flag.source.empty()) safety.detail += " (" + flag.source + ")";
        if (!flag.reason.empty()) safety.detail += ": " + flag.reason;
        if (top.profile_missing)
            safety.detail += "; no safety profile '" + top.profile_name + "', floor 0";
        else
            safety.detail += "; " + step_detail(place, top.profile_name, top.level);
        safety.detail += "; schedule " + level_text(sched.level.level) + ", safety " +
                         level_text(safety_level) + ", floor " + level_text(floor) + " -> " +
                         level_text(level);
        if (combined.part_night_exempt)
            safety.detail += "; part-night off suppressed by safety flag " + flag.id;
        if (flags.size() > 1) safety.detail += " (" + std::to_string(flags.size()) + " flags in force)";
        sched_layer.applied = false;
        safety.applied = true;
        d.level = level;
        d.fade_s = combined.fade_s;
        auto until = d.reason.until;
        for (const auto& f : flags) earliest(until, f.level.next_change);
        d.reason = {Source::safety, flag.id, safety.detail, until};
    }
    d.stack = {safety, calendar, fallback};
    return d;
}

bool applies_to(Scope scope, const std::string& target, const config::Area& area,
                const std::string* luminaire) {
    return scope == Scope::area ? target == area.id : (luminaire && target == *luminaire);
}

template <class Item>
const Item* first_active(const std::vector<Item>& items, Scope scope, const config::Area& area,
                         const std::string* luminaire, SystemTime t) {
    const Item* found = nullptr;  // the newest wins when several target the same thing
    for (const auto& item : items)
        if (item.scope == scope && applies_to(scope, item.target, area, luminaire) && item.active_at(t) &&
            (!found || item.created >= found->created))
            found = &item;
    return found;
}

std::string until_text(const Place& place, std::optional<SystemTime> until) {
    return until ? " until " + place.local_datetime(*until) : " until cleared";
}

// Puts the maintenance and override layers on top of the automatic decision
// (and into its stack unless `stack` is false).
Decision with_manual_layers(const PolicyInputs& in, const config::Area& area, const std::string* luminaire,
                            Decision d, SystemTime t, bool stack = true) {
    const auto& place = in.place;
    const Maintenance* maintenance = nullptr;
    if (luminaire) maintenance = first_active(in.maintenance, Scope::luminaire, area, luminaire, t);
    if (!maintenance) maintenance = first_active(in.maintenance, Scope::area, area, luminaire, t);
    const Override* luminaire_override =
        luminaire ? first_active(in.overrides, Scope::luminaire, area, luminaire, t) : nullptr;
    const Override* area_override = first_active(in.overrides, Scope::area, area, luminaire, t);

    Layer m{Source::maintenance, false, false, {}, {}, "none"};
    if (maintenance) {
        m.active = true;
        m.id = maintenance->id;
        m.level = maintenance->level;
        m.detail =
            std::string(maintenance->kind == Maintenance::Kind::identify ? "identify" : "maintenance") +
            (maintenance->scope == Scope::area ? " of area " : " of luminaire ") + maintenance->target + " " +
            level_text(maintenance->level) + until_text(place, maintenance->until);
        if (!maintenance->reason.empty()) m.detail += ": " + maintenance->reason;
    }
    const Override* o = luminaire_override ? luminaire_override : area_override;
    Layer ov{Source::override_level, false, false, {}, {}, "none"};
    if (o) {
        ov.active = true;
        ov.id = o->id;
        ov.level = o->level;
        ov.detail = std::string("override of ") + (o->scope == Scope::area ? "area " : "luminaire ") +
                    o->target + " " + level_text(o->level) + until_text(place, o->until);
        if (!o->reason.empty()) ov.detail += ": " + o->reason;
        if (luminaire_override && area_override)
            ov.detail += " (beats area override '" + area_override->id + "')";
    }
    if (maintenance || o) {
        for (auto& layer : d.stack) layer.applied = false;
        if (maintenance) {
            m.applied = true;
            d.level = maintenance->level;
            d.fade_s = 0;
            d.reason = {Source::maintenance, maintenance->id, m.detail, maintenance->until};
        } else {
            ov.applied = true;
            d.level = o->level;
            d.fade_s = o->fade_s;
            d.reason = {Source::override_level, o->id, ov.detail, o->until};
        }
    }
    if (stack) d.stack.insert(d.stack.begin(), {m, ov});
    return d;
}

}  // namespace

std::string_view to_string(Source source) {
    switch (source) {
        case Source::maintenance:
            return "maintenance";
        case Source::override_level:
            return "override";
        case Source::safety:
            return "safety";
        case Source::schedule:
            return "schedule";
        case Source::default_profile:
            return "default";
    }
    return "default";
}

PolicyInputs PolicyInputs::from_config(const config::Config& config) {
    PolicyInputs in;
    in.config = &config;
    in.place = Place::of(config.site);
    in.flags = flags_from_config(config, in.place);
    return in;
}

Decision decide_area(const PolicyInputs& inputs, const config::Area& area, SystemTime t) {
    return with_manual_layers(inputs, area, nullptr, automatic_decision(inputs, area, t), t);
}

Decision decide(const PolicyInputs& inputs, const config::Luminaire& luminaire, SystemTime t) {
    const auto* area = inputs.config->find_area(luminaire.area);
    if (!area) {
        Decision d;
        d.luminaire = luminaire.id;
        d.area = luminaire.area;
        d.reason.detail = "luminaire " + luminaire.id + " names unknown area '" + luminaire.area + "': dark";
        return d;
    }
    auto d = with_manual_layers(inputs, *area, &luminaire.id, automatic_decision(inputs, *area, t), t);
    d.luminaire = luminaire.id;
    return d;
}

std::vector<Decision> decide_all(const PolicyInputs& inputs, SystemTime t) {
    std::unordered_map<std::string, Decision> by_area;
    for (const auto& area : inputs.config->areas) {
        auto d = automatic_decision(inputs, area, t);
        d.stack.clear();  // copied into every luminaire's decision: ~0.5 KB each, held by the daemon
        by_area.emplace(area.id, std::move(d));
    }
    std::vector<Decision> out;
    out.reserve(inputs.config->luminaires.size());
    for (const auto& lum : inputs.config->luminaires) {
        auto it = by_area.find(lum.area);
        if (it == by_area.end()) {
            out.push_back(decide(inputs, lum, t));
            continue;
        }
        auto d =
            with_manual_layers(inputs, *inputs.config->find_area(lum.area), &lum.id, it->second, t, false);
        d.luminaire = lum.id;
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<Decision> decide_some(const PolicyInputs& inputs, const std::vector<std::size_t>& indices,
                                  SystemTime t) {
    const auto& luminaires = inputs.config->luminaires;
    std::unordered_map<std::string, Decision> by_area;  // only the areas of the luminaires asked for
    std::vector<Decision> out;
    out.reserve(indices.size());
    for (auto i : indices) {
        if (i >= luminaires.size()) continue;
        const auto& lum = luminaires[i];
        const auto* area = inputs.config->find_area(lum.area);
        if (!area) {
            out.push_back(decide(inputs, lum, t));
            continue;
        }
        auto it = by_area.find(area->id);
        if (it == by_area.end()) {
            auto automatic = automatic_decision(inputs, *area, t);
            automatic.stack.clear();  // as decide_all: no stack kept per luminaire
            it = by_area.emplace(area->id, std::move(automatic)).first;
        }
        auto d = with_manual_layers(inputs, *area, &lum.id, it->second, t, false);
        d.luminaire = lum.id;
        out.push_back(std::move(d));
    }
    return out;
}

std::optional<SystemTime> next_transition(const PolicyInputs& inputs, SystemTime t) {
    std::optional<SystemTime> next;
    for (const auto& area : inputs.config->areas) {
        const auto sched =
            schedule_level(inputs.config->schedule, area, inputs.place, t, inputs.nights.get());
        earliest(next, sched.level.next_change);
        for (const auto& s :
             safety_levels(inputs.config->schedule, area, inputs.flags, inputs.place, t, inputs.nights.get()))
            earliest(next, s.level.next_change);
    }
    for (const auto& f : inputs.flags) earliest(next, next_flag_change(f, inputs.place, t));
    for (const auto& o : inputs.overrides)
        if (o.until && *o.until > t) earliest(next, o.until);
    for (const auto& m : inputs.maintenance)
        if (m.until && *m.until > t) earliest(next, m.until);
    return next;
}

}  // namespace lykta::policy
