#pragma once
// The lighting commands of the MQTT API (docs/mqtt-api.md) as free functions
// over the lighting feature's parts: the arguments are read by
// policy/requests.hpp, the change goes into the policy runner's inputs and
// store, and the feature's evaluations take it to the gear. A command that
// changes state is applied, persisted, then answered.
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/api/uplink.hpp"
#include "gateway/lighting/actuator.hpp"
#include "gateway/lighting/policy_runner.hpp"
#include "gateway/policy/requests.hpp"

namespace lykta::lighting {

// How a changed input reaches the luminaires (the lighting feature).
class PolicyChanges {
public:
    virtual ~PolicyChanges() = default;
    // The whole policy moved (a flag, a schedule): decide everything, send what changed.
    virtual void evaluate() = 0;
    // Only these luminaires' inputs changed (indices into the config's
    // luminaires): decide them and send their levels at once, changed or not;
    // `done` gets their read-back levels.
    virtual void evaluate_luminaires(const std::vector<std::size_t>& indices, Actuator::Done done) = 0;
};

struct CommandParts {
    PolicyRunner& policy;
    PolicyChanges& changes;
    Uplink& uplink;  // events
};

// Registers every command below under its API path.
void register_lighting_commands(Uplink& uplink, CommandParts parts);

// Answers `error` (a request that did not parse).
void answer(api::Responder& responder, const policy::RequestError& error);

// luminaire/set, area/set; override/clear (override_commands.cpp).
void set_override(CommandParts& parts, const nlohmann::json& args, api::Responder responder,
                  policy::Scope scope);
void clear_overrides(CommandParts& parts, const nlohmann::json& args, api::Responder responder);
// area/safety, area/safety/clear, area/safety/list (safety_commands.cpp).
void set_safety_flag(CommandParts& parts, const nlohmann::json& args, api::Responder responder);
void clear_safety_flags(CommandParts& parts, const nlohmann::json& args, api::Responder responder);
void list_safety_flags(CommandParts& parts, const nlohmann::json& args, api::Responder responder);
// luminaire/identify (identify_command.cpp).
void identify(CommandParts& parts, const nlohmann::json& args, api::Responder responder);
// explain (explain_command.cpp).
void explain(CommandParts& parts, const nlohmann::json& args, api::Responder responder);
// schedule/get, schedule/set (schedule_commands.cpp).
void get_schedule(CommandParts& parts, const nlohmann::json& args, api::Responder responder);
void set_schedule(CommandParts& parts, const nlohmann::json& args, api::Responder responder);

}  // namespace lykta::lighting
