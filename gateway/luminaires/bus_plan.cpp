#include "gateway/luminaires/bus_plan.hpp"

#include <algorithm>

#include "drivers/dali/level_curve.hpp"

namespace lykta::luminaires {

FailSafePercent fail_safe_percent(const config::Config& config, const config::Area& area) {
    double fallback = 100;
    const bool safety = std::any_of(config.safety_flags.begin(), config.safety_flags.end(),
                                    [&](const config::SafetyFlag& f) { return f.area == area.id; });
    if (!safety)
        if (const auto* profile = config.find_profile(area.profile); profile && !profile->steps.empty())
            fallback = profile->steps.front().level;
    return {area.power_on_level.value_or(fallback), area.system_failure_level.value_or(fallback)};
}

BusPlan plan_bus(const config::Config& config, const std::string& bus_id) {
    BusPlan plan;
    for (const auto& l : config.luminaires) {
        if (l.bus != bus_id) continue;
        plan.layout.addresses.push_back(l.address);
        plan.by_address[l.address] = &l;
        if (const auto* area = config.find_area(l.area)) {
            if (auto g = area->dali_groups.find(bus_id); g != area->dali_groups.end())
                plan.layout.groups[g->second].push_back(l.address);
            const auto pct = fail_safe_percent(config, *area);
            plan.fail_safe.push_back({l.address, dali::level_from_percent(pct.power_on),
                                      dali::level_from_percent(pct.system_failure)});
        }
    }
    std::sort(plan.layout.addresses.begin(), plan.layout.addresses.end());
    return plan;
}

}  // namespace lykta::luminaires
