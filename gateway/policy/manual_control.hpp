#pragma once
// Operator commands as values: overrides (a manual level for a luminaire or
// a whole area, optionally expiring) and maintenance/identify, which outrank
// everything else while they last.
#include <optional>
#include <string>

#include "gateway/core/clock.hpp"

namespace lykta::policy {

enum class Scope { luminaire, area };

struct Override {
    std::string id;
    Scope scope = Scope::luminaire;
    std::string target;  // luminaire or area id
    double level = 0;    // percent
    double fade_s = 0;
    std::optional<SystemTime> until;  // none: until cleared
    SystemTime created{};
    std::string reason;
    bool active_at(SystemTime t) const { return !until || t < *until; }
};

struct Maintenance {
    enum class Kind { maintenance, identify };
    std::string id;
    Kind kind = Kind::maintenance;
    Scope scope = Scope::luminaire;
    std::string target;
    double level = 100;  // what the luminaire shows meanwhile (identify: the blink's high level)
    std::optional<SystemTime> until;
    SystemTime created{};
    std::string reason;
    bool active_at(SystemTime t) const { return !until || t < *until; }
};

}  // namespace lykta::policy
