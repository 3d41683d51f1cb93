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

}  // namespace lykta::http
