#pragma once
// Who may run what through the crew page. Checked before a request reaches
// the command router: a refused request never runs, and is answered in the
// router's envelope with the code `forbidden` (docs/crew-page.md).
#include <optional>
#include <string>
#include <vector>

namespace lykta::http {

// viewer: reads. crew: also what a maintenance crew does at the cabinet.
enum class Role { viewer, crew };

std::optional<Role> role_from_name(const std::string& name);
const char* role_name(Role role);
bool may_run(Role role, const std::string& command);
// The commands `role` may run, in a fixed order (the page shows buttons for these).
std::vector<std::string> commands_for(Role role);

}  // namespace lykta::http
