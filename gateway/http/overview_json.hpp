#pragma once
// What the overview page reads in one request: every area and luminaire of
// the configuration with the retained state the uplink publishes for it
// (docs/mqtt-api.md, "Retained state"; for luminaires the fields the map
// needs), the luminaires' configured locations for the map, and the active
// alarms.
#include <nlohmann/json.hpp>

#include "gateway/config/model.hpp"
#include "gateway/http/state_feed.hpp"

namespace lykta::http {

nlohmann::json overview_json(const config::Config& config, const StateFeed& feed);

}  // namespace lykta::http
