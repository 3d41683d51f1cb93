#include "gateway/config/discovery_entity.hpp"

#include "gateway/config/closest_name.hpp"

namespace lykta::config {

bool read_discovery_entity(ParseContext& ctx, MapReader& map, std::string_view key, DiscoveryEntity& out) {
    static const std::vector<std::string> names{"light", "sensor", "none"};
    std::string text;
    if (!map.read(key, text)) return false;
    if (text == "light")
        out = DiscoveryEntity::light;
    else if (text == "sensor")
        out = DiscoveryEntity::sensor;
    else if (text == "none")
        out = DiscoveryEntity::none;
    else {
        ctx.error(map.pos_of(key), map.path_of(key),
                  "unknown entity kind '" + text + "'" + did_you_mean(text, names) +
                      " (light: dimmable in Home Assistant, sensor: its level read-only, none: not shown)");
        return false;
    }
    return true;
}

bool read_discovery_entity(ParseContext& ctx, MapReader& map, std::string_view key,
                           std::optional<DiscoveryEntity>& out) {
    DiscoveryEntity entity{};
    if (!read_discovery_entity(ctx, map, key, entity)) return false;
    out = entity;
    return true;
}

}  // namespace lykta::config
