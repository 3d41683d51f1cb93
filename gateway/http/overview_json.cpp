#include "gateway/http/overview_json.hpp"

namespace lykta::http {

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
                              {"state", feed.current("luminaire/" + l.id + "/state")}});
    }
    return {{"gateway", {{"id", config.gateway.id}, {"name", config.gateway.name}}},
            {"areas", std::move(areas)},
            {"luminaires", std::move(luminaires)},
            {"alarms", feed.current("alarms")}};
}

}  // namespace lykta::http
