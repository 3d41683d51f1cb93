#include "gateway/http/roles.hpp"

#include <algorithm>
#include <array>

namespace lykta::http {
namespace {

// Reads only: nothing here changes the lighting, the store or a bus.
constexpr std::array<const char*, 7> read_commands{"faults/list",     "faults/report", "report/get",
                                                   "explain",         "inventory/get", "schedule/get",
                                                   "area/safety/list"};
// A crew at the cabinet: acknowledge faults, find a luminaire by blinking it,
// hold one at a level while working on it (a maintenance override) and let it go.
// Area levels, safety flags, schedules, commissioning and Modbus writes stay
// with the platform's operators.
constexpr std::array<const char*, 4> crew_commands{"faults/ack", "luminaire/identify", "luminaire/set",
                                                   "override/clear"};

bool listed(const auto& list, const std::string& command) {
    return std::any_of(list.begin(), list.end(), [&](const char* c) { return command == c; });
}

}  // namespace

std::optional<Role> role_from_name(const std::string& name) {
    if (name == "viewer") return Role::viewer;
    if (name == "crew") return Role::crew;
    return std::nullopt;
}

const char* role_name(Role role) {
    return role == Role::crew ? "crew" : "viewer";
}

bool may_run(Role role, const std::string& command) {
    if (listed(read_commands, command)) return true;
    return role == Role::crew && listed(crew_commands, command);
}

std::vector<std::string> commands_for(Role role) {
    std::vector<std::string> out(read_commands.begin(), read_commands.end());
    if (role == Role::crew) out.insert(out.end(), crew_commands.begin(), crew_commands.end());
    return out;
}

std::optional<std::string> argument_refusal(Role role, const std::string& command,
                                            const nlohmann::json& args) {
    if (role != Role::crew) return std::nullopt;  // a viewer runs reads only: nothing to limit
    if (command == "override/clear") {
        if (args.is_object() && args.contains("area"))
            return "crew may not clear an area's override (\"area\"); name one \"luminaire\"";
        if (!args.is_object() || !args.contains("luminaire"))
            return "crew clears the override of one luminaire: name it with \"luminaire\"";
    }
    if (command == "luminaire/set") {
        if (args.is_object() && args.contains("until"))
            return "crew holds a luminaire for duration_s seconds, not \"until\" a time";
        const auto* d = args.is_object() && args.contains("duration_s") ? &args["duration_s"] : nullptr;
        if (!d || !d->is_number() || d->get<double>() < crew_min_hold_s || d->get<double>() > crew_max_hold_s)
            return "crew sets a luminaire with duration_s from " + std::to_string(crew_min_hold_s) + " to " +
                   std::to_string(crew_max_hold_s) + " seconds";
    }
    return std::nullopt;
}

}  // namespace lykta::http
