#include "gateway/lighting/lighting_commands.hpp"

namespace lykta::lighting {

void answer(api::Responder& responder, const policy::RequestError& error) {
    responder.error(error.code, error.message, error.field);
}

void register_lighting_commands(Uplink& uplink, CommandParts parts) {
    using Handler = void (*)(CommandParts&, const nlohmann::json&, api::Responder);
    auto add = [&](const char* path, Handler handler) {
        uplink.add_command(path, [parts, handler](const nlohmann::json& args, api::Responder r) mutable {
            handler(parts, args, std::move(r));
        });
    };
    uplink.add_command("luminaire/set", [parts](const nlohmann::json& args, api::Responder r) mutable {
        set_override(parts, args, std::move(r), policy::Scope::luminaire);
    });
    uplink.add_command("area/set", [parts](const nlohmann::json& args, api::Responder r) mutable {
        set_override(parts, args, std::move(r), policy::Scope::area);
    });
    add("override/clear", clear_overrides);
    add("area/safety", set_safety_flag);
    add("area/safety/clear", clear_safety_flags);
    // The flags themselves (config and MQTT), so a platform can tell what it set:
    // `lyktactl fleet safety` plans against them (docs/operations.md).
    add("area/safety/list", list_safety_flags);
    add("luminaire/identify", identify);
    add("explain", explain);
    add("schedule/get", get_schedule);
    add("schedule/set", set_schedule);
}

}  // namespace lykta::lighting
