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

std::string until_text(const Place& place, std::optional<SystemTime> until) {
    return until ? " until " + place.local_datetime(*until) : " until cleared";
}

// The newest item in force per target id (the newest wins when several target the same thing).
template <class Item>
std::unordered_map<std::string, const Item*> active_by_target(const std::vector<Item>& items, Scope scope,
                                                              SystemTime t) {
    std::unordered_map<std::string, const Item*> out;
    for (const auto& item : items) {
        if (item.scope != scope || !item.active_at(t)) continue;
        auto& slot = out[item.target];
        if (!slot || item.created >= slot->created) slot = &item;
    }
    return out;
}

template <class Item>
const Item* lookup(const std::unordered_map<std::string, const Item*>& map, const std::string& key) {
    auto it = map.find(key);
    return it == map.end() ? nullptr : it->second;
}

// Resolves config.luminaires[i] for each i of `indices` (every luminaire when
// null; out of range ones skipped) into `sink`, each area's layers computed once.
template <class Sink>
void resolve_each(const PolicyInputs& in, SystemTime t, const std::vector<std::size_t>* indices, bool texts,
                  Sink sink) {
    const auto& luminaires = in.config->luminaires;
    const auto manual = manual_index(in, t);
    std::unordered_map<std::string, AreaLayers> areas;  // only the areas of the luminaires resolved
    auto one = [&](const config::Luminaire& lum) {
        auto it = areas.find(lum.area);
        if (it == areas.end()) {
            const auto* area = in.config->find_area(lum.area);
            if (!area) return sink(resolve(in, nullptr, manual, &lum));
            it = areas.emplace(lum.area, area_layers(in, *area, t, texts)).first;
        }
        sink(resolve(in, &it->second, manual, &lum));
    };
    if (!indices) {
        for (const auto& lum : luminaires) one(lum);
        return;
    }
    for (auto i : *indices)
        if (i < luminaires.size()) one(luminaires[i]);
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

AreaLayers area_layers(const PolicyInputs& in, const config::Area& area, SystemTime t, bool texts) {
    const auto& place = in.place;
    AreaLayers a;
    a.area = &area;
    a.texts = texts;
    auto sched = schedule_level(in.config->schedule, area, place, t, in.nights.get());
    const auto flags = safety_levels(in.config->schedule, area, in.flags, place, t, in.nights.get());
    std::string photocell_detail;
    if (auto pc = in.photocells.find(area.id); pc != in.photocells.end()) {
        auto gate = gate_schedule(pc->second, sched, place, t, in.nights.get());
        sched.level.level = gate.level;
        sched.level.fade_s = gate.fade_s;
        photocell_detail = std::move(gate.detail);
    }
    const bool calendar_rule = sched.choice.from_calendar();
    a.level = sched.level.level;
    a.fade_s = sched.level.fade_s;
    a.reason.source = calendar_rule ? Source::schedule : Source::default_profile;
    a.reason.id = calendar_rule ? sched.choice.rule : sched.choice.profile_name;
    std::optional<SafetyCombination> combined;
    if (!flags.empty()) {
        combined = combine_with_safety(sched, flags);
        a.level = combined->level;
        a.fade_s = combined->fade_s;
        a.reason.source = Source::safety;
        a.reason.id = flags.front().flag->id;
    }
    if (!texts) return a;

    Layer safety{Source::safety, false, false, {}, {}, "no safety flag in force"};
    Layer calendar{Source::schedule, false, false, {}, {}, "no calendar rule matches tonight"};
    Layer fallback{Source::default_profile, false, true, area.profile, {}, {}};
    std::string sched_detail = step_detail(place, sched.governing_profile, sched.level);
    if (!photocell_detail.empty()) sched_detail += "; " + photocell_detail;
    if (calendar_rule) {
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
        (calendar_rule ? calendar : fallback).detail =
            "profile '" + sched.choice.profile_name + "' does not exist: dark";
    }
    Layer& sched_layer = calendar_rule ? calendar : fallback;
    sched_layer.applied = true;
    a.reason.detail = sched_layer.detail;
    a.reason.until = sched.level.next_change;
    for (const auto& f : in.flags)
        if (f.area == area.id) earliest(a.reason.until, next_flag_change(f, place, t));

    if (combined) {
        const auto& top = flags.front();
        const auto& flag = *top.flag;
        safety.active = true;
        safety.id = flag.id;
        safety.level = combined->level;
        safety.detail = "flag '" + flag.id + "'";
        if (!flag.source.empty()) safety.detail += " (" + flag.source + ")";
        if (!flag.reason.empty()) safety.detail += ": " + flag.reason;
        if (top.profile_missing)
            safety.detail += "; no safety profile '" + top.profile_name + "', floor 0";
        else
            safety.detail += "; " + step_detail(place, top.profile_name, top.level);
        safety.detail += "; schedule " + level_text(sched.level.level) + ", safety " +
                         level_text(combined->safety_level) + ", floor " + level_text(combined->floor) +
                         " -> " + level_text(combined->level);
        if (combined->part_night_exempt)
            safety.detail += "; part-night off suppressed by safety flag " + flag.id;
        if (flags.size() > 1) safety.detail += " (" + std::to_string(flags.size()) + " flags in force)";
        sched_layer.applied = false;
        safety.applied = true;
        for (const auto& f : flags) earliest(a.reason.until, f.level.next_change);
        a.reason.detail = safety.detail;
    }
    a.stack = {std::move(safety), std::move(calendar), std::move(fallback)};
    return a;
}

ManualIndex manual_index(const PolicyInputs& in, SystemTime t) {
    return {active_by_target(in.maintenance, Scope::luminaire, t),
            active_by_target(in.maintenance, Scope::area, t),
            active_by_target(in.overrides, Scope::luminaire, t),
            active_by_target(in.overrides, Scope::area, t)};
}

Decision resolve(const PolicyInputs& in, const AreaLayers* area, const ManualIndex& manual,
                 const config::Luminaire* luminaire, Trace* trace) {
    Decision d;
    if (luminaire) d.luminaire = luminaire->id;
    if (!area) {
        if (luminaire) {
            d.area = luminaire->area;
            d.reason.detail =
                "luminaire " + luminaire->id + " names unknown area '" + luminaire->area + "': dark";
        }
        return d;
    }
    const auto& place = in.place;
    d.area = area->area->id;
    d.level = area->level;
    d.fade_s = area->fade_s;
    d.reason = area->reason;
    const Maintenance* maintenance =
        luminaire ? lookup(manual.maintenance_luminaire, luminaire->id) : nullptr;
    if (!maintenance) maintenance = lookup(manual.maintenance_area, d.area);
    const Override* luminaire_override =
        luminaire ? lookup(manual.override_luminaire, luminaire->id) : nullptr;
    const Override* area_override = lookup(manual.override_area, d.area);
    const Override* o = luminaire_override ? luminaire_override : area_override;

    Layer m{Source::maintenance, false, false, {}, {}, "none"};
    if (maintenance) {
        m.active = true;
        m.id = maintenance->id;
        m.level = maintenance->level;
        if (area->texts) {
            m.detail =
                std::string(maintenance->kind == Maintenance::Kind::identify ? "identify" : "maintenance") +
                (maintenance->scope == Scope::area ? " of area " : " of luminaire ") + maintenance->target +
                " " + level_text(maintenance->level) + until_text(place, maintenance->until);
            if (!maintenance->reason.empty()) m.detail += ": " + maintenance->reason;
        }
    }
    Layer ov{Source::override_level, false, false, {}, {}, "none"};
    if (o) {
        ov.active = true;
        ov.id = o->id;
        ov.level = o->level;
        if (area->texts) {
            ov.detail = std::string("override of ") + (o->scope == Scope::area ? "area " : "luminaire ") +
                        o->target + " " + level_text(o->level) + until_text(place, o->until);
            if (!o->reason.empty()) ov.detail += ": " + o->reason;
            if (luminaire_override && area_override)
                ov.detail += " (beats area override '" + area_override->id + "')";
        }
    }
    if (maintenance) {
        m.applied = true;
        d.level = maintenance->level;
        d.fade_s = 0;
        d.reason = {Source::maintenance, maintenance->id, m.detail, maintenance->until};
    } else if (o) {
        ov.applied = true;
        d.level = o->level;
        d.fade_s = o->fade_s;
        d.reason = {Source::override_level, o->id, ov.detail, o->until};
    }
    if (trace) {
        trace->stack = {std::move(m), std::move(ov)};
        for (auto layer : area->stack) {
            if (maintenance || o) layer.applied = false;
            trace->stack.push_back(std::move(layer));
        }
    }
    return d;
}

Decision decide_area(const PolicyInputs& inputs, const config::Area& area, SystemTime t) {
    const auto layers = area_layers(inputs, area, t);
    Trace trace;
    auto d = resolve(inputs, &layers, manual_index(inputs, t), nullptr, &trace);
    d.stack = std::move(trace.stack);
    return d;
}

Decision decide(const PolicyInputs& inputs, const config::Luminaire& luminaire, SystemTime t) {
    const auto* area = inputs.config->find_area(luminaire.area);
    std::optional<AreaLayers> layers;
    if (area) layers = area_layers(inputs, *area, t);
    Trace trace;
    auto d = resolve(inputs, layers ? &*layers : nullptr, manual_index(inputs, t), &luminaire, &trace);
    d.stack = std::move(trace.stack);
    return d;
}

std::vector<Decision> decide_all(const PolicyInputs& inputs, SystemTime t) {
    std::vector<Decision> out;
    out.reserve(inputs.config->luminaires.size());
    resolve_each(inputs, t, nullptr, true, [&](Decision d) { out.push_back(std::move(d)); });
    return out;
}

std::vector<Decision> decide_some(const PolicyInputs& inputs, const std::vector<std::size_t>& indices,
                                  SystemTime t) {
    std::vector<Decision> out;
    out.reserve(indices.size());
    resolve_each(inputs, t, &indices, true, [&](Decision d) { out.push_back(std::move(d)); });
    return out;
}

std::vector<double> levels_all(const PolicyInputs& inputs, SystemTime t) {
    std::vector<double> out;
    out.reserve(inputs.config->luminaires.size());
    resolve_each(inputs, t, nullptr, false, [&](const Decision& d) { out.push_back(d.level); });
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
