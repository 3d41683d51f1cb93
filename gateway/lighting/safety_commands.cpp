// Safety flags over MQTT: set one, clear an area's (config flags stay), list them.
#include <algorithm>

#include "gateway/lighting/lighting_commands.hpp"

namespace lykta::lighting {
namespace ec = api::error_code;

void set_safety_flag(CommandParts& parts, const nlohmann::json& args, api::Responder responder) {
    auto& inputs = parts.policy.inputs();
    auto parsed = policy::safety_flag_from_request(args, parts.policy.config(), inputs.place,
                                                   parts.policy.now(), parts.policy.next_serial());
    if (!parsed.ok()) return answer(responder, parsed.error);
    const auto flag = *parsed.value;
    for (const auto& f : inputs.flags)
        if (f.id == flag.id && f.origin == "config")
            return responder.error(ec::conflict, "flag '" + flag.id + "' is defined in the config", "id");
    parts.policy.store().put_flag(flag);
    std::erase_if(inputs.flags, [&](const policy::SafetyFlag& f) { return f.id == flag.id; });
    inputs.flags.push_back(flag);
    parts.changes.evaluate();  // emits safety.started when it is in force now
    responder.ok({{"flag", policy::to_json(flag, inputs.place)}});
}

void clear_safety_flags(CommandParts& parts, const nlohmann::json& args, api::Responder responder) {
    auto parsed = policy::safety_clear_from_request(args, parts.policy.config());
    if (!parsed.ok()) return answer(responder, parsed.error);
    const auto& [area, flag_id] = *parsed.value;
    auto& inputs = parts.policy.inputs();
    nlohmann::json removed = nlohmann::json::array();
    for (const auto& f : inputs.flags) {
        if (f.area != area || (!flag_id.empty() && f.id != flag_id)) continue;
        if (f.origin == "config") {
            if (!flag_id.empty())
                return responder.error(
                    ec::conflict, "flag '" + flag_id + "' is defined in the config; change it there", "flag");
            continue;  // config flags stay; only the ones set over MQTT are cleared
        }
        removed.push_back(f.id);
    }
    if (!flag_id.empty() && removed.empty())
        return responder.error(ec::bad_request, "area '" + area + "' has no flag '" + flag_id + "'", "flag");
    for (const auto& id : removed) parts.policy.store().remove_flag(id.get<std::string>());
    std::erase_if(inputs.flags, [&](const policy::SafetyFlag& f) {
        return std::find(removed.begin(), removed.end(), f.id) != removed.end();
    });
    parts.changes.evaluate();  // emits safety.ended (flag_removed) for flags that were in force
    responder.ok({{"removed", removed}});
}

void list_safety_flags(CommandParts& parts, const nlohmann::json& args, api::Responder responder) {
    auto parsed = policy::area_filter_from_request(args, parts.policy.config());
    if (!parsed.ok()) return answer(responder, parsed.error);
    const auto& area = *parsed.value;
    const auto& inputs = parts.policy.inputs();
    nlohmann::json flags = nlohmann::json::array();
    for (const auto& f : inputs.flags)
        if (area.empty() || f.area == area) flags.push_back(policy::to_json(f, inputs.place));
    responder.ok({{"flags", std::move(flags)}});
}

}  // namespace lykta::lighting
