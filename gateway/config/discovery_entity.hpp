#pragma once
// The `light` / `sensor` / `none` choice of Home Assistant discovery, read the
// same way for the gateway-wide default (mqtt.discovery_luminaires) and a
// luminaire's own `discovery` key.
#include <string_view>

#include "gateway/config/model.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {

// False (with an error naming the key) when present but not one of the three.
bool read_discovery_entity(ParseContext& ctx, MapReader& map, std::string_view key, DiscoveryEntity& out);
bool read_discovery_entity(ParseContext& ctx, MapReader& map, std::string_view key,
                           std::optional<DiscoveryEntity>& out);

}  // namespace lykta::config
