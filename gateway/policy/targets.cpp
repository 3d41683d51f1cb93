#include "gateway/policy/targets.hpp"

#include <unordered_map>

#include "gateway/policy/area_levels.hpp"

namespace lykta::policy {
namespace {

struct AreaTarget {
    double level = 0;
    double fade_s = 0;
    Source source = Source::default_profile;
    std::string id;
};

AreaTarget automatic_target(const PolicyInputs& in, const config::Area& area, SystemTime t) {
    auto sched = schedule_level(in.config->schedule, area, in.place, t, in.nights.get());
    if (auto pc = in.photocells.find(area.id); pc != in.photocells.end()) {
        const auto gate = gate_schedule(pc->second, sched, in.place, t, in.nights.get());
        sched.level.level = gate.level;
        sched.level.fade_s = gate.fade_s;
    }
    const auto flags = safety_levels(in.config->schedule, area, in.flags, in.place, t, in.nights.get());
    if (!flags.empty()) {
        const auto c = combine_with_safety(sched, flags);
        return {c.level, c.fade_s, Source::safety, flags.front().flag->id};
    }
    if (sched.choice.from_calendar())
        return {sched.level.level, sched.level.fade_s, Source::schedule, sched.choice.rule};
    return {sched.level.level, sched.level.fade_s, Source::default_profile, sched.choice.profile_name};
}

// The newest active item per target id, as decide() picks them.
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

}  // namespace

std::vector<Target> targets_all(const PolicyInputs& inputs, SystemTime t) {
    std::unordered_map<std::string, AreaTarget> by_area;
    for (const auto& area : inputs.config->areas) by_area.emplace(area.id, automatic_target(inputs, area, t));
    const auto maintenance_lum = active_by_target(inputs.maintenance, Scope::luminaire, t);
    const auto maintenance_area = active_by_target(inputs.maintenance, Scope::area, t);
    const auto override_lum = active_by_target(inputs.overrides, Scope::luminaire, t);
    const auto override_area = active_by_target(inputs.overrides, Scope::area, t);

    std::vector<Target> out;
    out.reserve(inputs.config->luminaires.size());
    for (const auto& lum : inputs.config->luminaires) {
        Target target{lum.id, lum.area, 0, 0, Source::default_profile, {}};
        auto area = by_area.find(lum.area);
        if (area == by_area.end()) {  // as decide(): an unknown area is dark
            out.push_back(std::move(target));
            continue;
        }
        const Maintenance* m = lookup(maintenance_lum, lum.id);
        if (!m) m = lookup(maintenance_area, lum.area);
        const Override* o = lookup(override_lum, lum.id);
        if (!o) o = lookup(override_area, lum.area);
        if (m) {
            target.level = m->level;
            target.source = Source::maintenance;
            target.id = m->id;
        } else if (o) {
            target.level = o->level;
            target.fade_s = o->fade_s;
            target.source = Source::override_level;
            target.id = o->id;
        } else {
            target.level = area->second.level;
            target.fade_s = area->second.fade_s;
            target.source = area->second.source;
            target.id = area->second.id;
        }
        out.push_back(std::move(target));
    }
    return out;
}

}  // namespace lykta::policy
