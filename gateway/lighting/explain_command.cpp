// explain: why a luminaire or an area has its level, with the arbitration's
// stack of layers and the gating photocell's latest reading.
#include "gateway/lighting/lighting_commands.hpp"
#include "gateway/policy/policy_json.hpp"

namespace lykta::lighting {

void explain(CommandParts& parts, const nlohmann::json& args, api::Responder responder) {
    const auto& config = parts.policy.config();
    const auto& inputs = parts.policy.inputs();
    auto parsed = policy::explain_from_request(args, config, inputs.place, parts.policy.now());
    if (!parsed.ok()) return answer(responder, parsed.error);
    const auto& [named, at] = *parsed.value;
    nlohmann::json out;
    if (named.scope == policy::Scope::luminaire) {
        out = policy::to_json(policy::decide(inputs, *config.find_luminaire(named.id), at), inputs.place);
    } else {
        out = policy::to_json(policy::decide_area(inputs, *config.find_area(named.id), at), inputs.place);
        nlohmann::json luminaires = nlohmann::json::array();
        for (const auto& l : config.luminaires)
            if (l.area == named.id)
                luminaires.push_back(policy::to_json(policy::decide(inputs, l, at), inputs.place));
        out["luminaires"] = std::move(luminaires);
    }
    out["at"] = policy::rfc3339_local(at, inputs.place);
    // The photocell's latest reading and verdict (the decision used it only if it holds at `at`).
    if (auto photocell = parts.policy.photocells().describe(out["area"].get<std::string>());
        !photocell.is_null())
        out["photocell"] = std::move(photocell);
    responder.ok(std::move(out));
}

}  // namespace lykta::lighting
