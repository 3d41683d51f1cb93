#include "gateway/lighting/area_state.hpp"

#include <cmath>

#include "gateway/policy/area_levels.hpp"
#include "gateway/policy/calendar.hpp"
#include "gateway/policy/requests.hpp"

namespace lykta::lighting {

nlohmann::json area_state_payload(const policy::PolicyInputs& inputs, const config::Area& area, SystemTime t,
                                  const AreaFacts& facts) {
    const auto decision = policy::decide_area(inputs, area, t);
    std::string mode;
    switch (decision.reason.source) {
        case policy::Source::maintenance:
            mode = "maintenance";
            break;
        case policy::Source::override_level:
            mode = "override";
            break;
        case policy::Source::safety:
            mode = "safety";
            break;
        default:
            mode = "schedule";
    }
    if (facts.buses_down) mode = "failsafe";
    const auto& schedule = inputs.config->schedule;
    const auto choice = policy::choose_profile(schedule, area, inputs.place.night_of(t));

    nlohmann::json safety = nullptr;
    auto in_force = policy::safety_levels(schedule, area, inputs.flags, inputs.place, t, inputs.nights.get());
    if (!in_force.empty() && in_force.front().flag)
        safety = policy::to_json(*in_force.front().flag, inputs.place);
    nlohmann::json override_json = nullptr;
    for (const auto& o : inputs.overrides)
        if (o.scope == policy::Scope::area && o.target == area.id && o.active_at(t))
            override_json = policy::to_json(o, inputs.place);

    // The gate's state, without the lux (which moves with every reading and
    // would republish this retained message; explain shows it).
    nlohmann::json photocell = nullptr;
    if (auto pc = inputs.photocells.find(area.id); pc != inputs.photocells.end() && pc->second.holds_at(t)) {
        const auto& v = pc->second.verdict;
        photocell = {{"id", pc->second.photocell},
                     {"basis", policy::to_string(v.basis)},
                     {"lit", v.lit},
                     {"sensor_failed", v.sensor_failed},
                     {"disagreement", v.disagreement}};
        if (v.basis != policy::PhotocellDecision::Basis::sensor) photocell["reason"] = v.reason;
    }
    nlohmann::json out{{"level", std::round(decision.level * 10) / 10},
                       {"mode", mode},
                       {"profile", choice.profile_name},
                       {"safety", safety},
                       {"override", override_json},
                       {"luminaires", facts.luminaires},
                       {"failed", facts.failed}};
    if (!photocell.is_null()) out["photocell"] = std::move(photocell);
    return out;
}

}  // namespace lykta::lighting
