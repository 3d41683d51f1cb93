#pragma once
// Safety flags as the policy evaluates them: a validity window [from, until)
// as instants, optionally narrowed by a weekly recurrence whose daily window
// may cross midnight (the weekday is the day the window opens: "fri 20:00 to
// 04:00" runs from Friday evening to Saturday morning).
#include <optional>
#include <string>
#include <vector>

#include "gateway/config/model.hpp"
#include "gateway/policy/place.hpp"

namespace lykta::policy {

struct SafetyFlag {
    std::string id;
    std::string area;
    std::string source;  // who asked for it, e.g. "Trygghetsmätning 2021"
    std::string reason;
    std::optional<SystemTime> from;   // none: since always
    std::optional<SystemTime> until;  // none: open-ended (exclusive)
    std::optional<config::Recurrence> recurrence;
    std::string profile;            // empty: the area's safety_profile
    std::string origin = "config";  // "config" or "mqtt"
    std::optional<SystemTime> created;
};

// Converts a config flag (dates are local to the site). Throws
// std::invalid_argument naming the flag when from/until do not parse.
SafetyFlag flag_from_config(const config::SafetyFlag& flag, const Place& place);
std::vector<SafetyFlag> flags_from_config(const config::Config& config, const Place& place);

bool in_force(const SafetyFlag& flag, const Place& place, SystemTime t);

// The interval of force containing t (when in force), clipped to the validity
// window; `end` is none for an open-ended flag without recurrence.
struct ForceWindow {
    SystemTime start{};
    std::optional<SystemTime> end;
};
std::optional<ForceWindow> force_window(const SafetyFlag& flag, const Place& place, SystemTime t);

// The first instant after t at which in_force changes; none if it never does.
std::optional<SystemTime> next_flag_change(const SafetyFlag& flag, const Place& place, SystemTime t);

}  // namespace lykta::policy
