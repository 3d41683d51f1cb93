#pragma once
// What the config says about one DALI bus, in the driver's terms: which short
// addresses belong to which luminaire and area, the DALI groups (areas'
// dali_groups), and each gear's fail-safe levels. Pure.
#include <map>
#include <string>
#include <vector>

#include "drivers/dali/bus.hpp"
#include "drivers/dali/planner.hpp"
#include "gateway/config/model.hpp"

namespace lykta::luminaires {

struct BusPlan {
    dali::BusLayout layout;
    std::map<int, const config::Luminaire*> by_address;
    std::vector<dali::FailSafeLevels> fail_safe;
};

// Fail-safe percent for an area: its power_on_level / system_failure_level when
// set; else 100 % when the config has a safety flag for the area (a standing
// safety need); else the level of the first (evening) step of its profile; else 100 %.
struct FailSafePercent {
    double power_on = 100;
    double system_failure = 100;
};
FailSafePercent fail_safe_percent(const config::Config& config, const config::Area& area);

BusPlan plan_bus(const config::Config& config, const std::string& bus_id);

}  // namespace lykta::luminaires
