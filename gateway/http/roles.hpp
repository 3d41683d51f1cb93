#pragma once
// Who may run what through the crew page. Checked before a request reaches
// the command router: a refused request never runs, and is answered in the
// router's envelope with the code `forbidden` (docs/crew-page.md).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lykta::http {

// viewer: reads. crew: also what a maintenance crew does at the cabinet.
enum class Role { viewer, crew };

std::optional<Role> role_from_name(const std::string& name);
const char* role_name(Role role);
bool may_run(Role role, const std::string& command);
// The commands `role` may run, in a fixed order (the page shows buttons for these).
std::vector<std::string> commands_for(Role role);

// A crew's commands are limited by their arguments too: `override/clear` only
// for one luminaire (area overrides are the operators'), `luminaire/set` only
// for a while (duration_s within crew_min_hold..crew_max_hold, never `until`).
// The reason a request is refused, or nullopt when `role` may send it.
constexpr int crew_min_hold_s = 60;
constexpr int crew_max_hold_s = 86400;
std::optional<std::string> argument_refusal(Role role, const std::string& command,
                                            const nlohmann::json& args);

}  // namespace lykta::http
