#include "gateway/http/overview_json.hpp"

namespace lykta::http {
namespace {

// What the map and the tables read of a luminaire's state: a fifth of the
// whole payload (the reason's text dominates it) for 1,024 luminaires. The
// luminaire page asks `explain` for the reason; live `state` events carry
// the whole payload.
nlohmann::json luminaire_summary(nlohmann::json state) {
    if (!state.is_object()) return state;
    nlohmann::json out = nlohmann::json::object();
    for (const char* key : {"level", "target", "available", "lamp_failure", "gear_failure"})
        if (auto it = state.find(key); it != state.end()) out[key] = std::move(*it);
    return out;
}

}  // namespace

nlohmann::json overview_json(const config::Config& config, const StateFeed& feed) {
    auto areas = nlohmann::json::array();
    for (const auto& area : config.areas)
        areas.push_back({{"id", area.id},
                         {"name", area.name.empty() ? area.id : area.name},
                         {"state", feed.current("area/" + area.id + "/state")}});
    auto luminaires = nlohmann::json::array();
    for (const auto& l : config.luminaires) {
        nlohmann::json location = nullptr;
        if (l.location.present)
            location = {{"lat", l.location.lat}, {"lon", l.location.lon}, {"street", l.location.street}};
        luminaires.push_back({{"id", l.id},
                              {"area", l.area},
                              {"bus", l.bus},
                              {"address", l.address},
                              {"location", std::move(location)},
                              {"state", luminaire_summary(feed.current("luminaire/" + l.id + "/state"))}});
    }
    return {{"gateway", {{"id", config.gateway.id}, {"name", config.gateway.name}}},
            {"areas", std::move(areas)},
            {"luminaires", std::move(luminaires)},
            {"alarms", feed.current("alarms")}};
}

}  // namespace lykta::http
