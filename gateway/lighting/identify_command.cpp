// luminaire/identify: the named luminaire blinks for the crew on site.
#include "gateway/lighting/lighting_commands.hpp"
#include "gateway/policy/policy_json.hpp"

namespace lykta::lighting {

void identify(CommandParts& parts, const nlohmann::json& args, api::Responder responder) {
    auto parsed = policy::identify_from_request(args, parts.policy.config(), parts.policy.now());
    if (!parsed.ok()) return answer(responder, parsed.error);
    const auto m = *parsed.value;
    auto& inputs = parts.policy.inputs();
    std::erase_if(inputs.maintenance, [&](const policy::Maintenance& x) { return x.id == m.id; });
    inputs.maintenance.push_back(m);
    parts.changes.evaluate_luminaires(parts.policy.luminaires_of(policy::Scope::luminaire, m.target),
                                      nullptr);
    parts.policy.blink();
    responder.ok({{"luminaire", m.target}, {"until", policy::rfc3339_local(*m.until, inputs.place)}});
}

}  // namespace lykta::lighting
