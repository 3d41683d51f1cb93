// mqtt.discovery, mqtt.discovery_prefix, mqtt.discovery_luminaires and a
// luminaire's own `discovery` (docs/config.md, docs/integrations.md).
#include "config_test_support.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

TEST_CASE("Home Assistant discovery is off by default", "[config]") {
    auto r = load_with("");
    REQUIRE_LOADS(r);
    CHECK_FALSE(r.config->mqtt.discovery_homeassistant);
    CHECK(r.config->mqtt.discovery_prefix == "homeassistant");
    CHECK(r.config->mqtt.discovery_luminaires == DiscoveryEntity::sensor);
}

TEST_CASE("discovery keys: a gateway-wide default and a per-luminaire override", "[config]") {
    auto r = load_with(
        "mqtt: { discovery: homeassistant, discovery_prefix: ha/site1, discovery_luminaires: light }\n"
        "luminaires:\n"
        "  - { id: L-1, bus: bus1, address: 0, area: torget }\n"
        "  - { id: \"R-{n}\", bus: bus1, addresses: 1..2, area: torget, discovery: none }\n"
        "  - { id: L-9, bus: bus1, address: 9, area: torget, discovery: sensor }\n");
    REQUIRE_LOADS(r);
    const auto& c = *r.config;
    CHECK(c.mqtt.discovery_homeassistant);
    CHECK(c.mqtt.discovery_prefix == "ha/site1");
    CHECK(c.mqtt.discovery_luminaires == DiscoveryEntity::light);
    CHECK_FALSE(c.find_luminaire("L-1")->discovery.has_value());
    CHECK(c.find_luminaire("R-1")->discovery == DiscoveryEntity::none);
    CHECK(c.find_luminaire("R-2")->discovery == DiscoveryEntity::none);
    CHECK(c.find_luminaire("L-9")->discovery == DiscoveryEntity::sensor);

    auto off = load_with("mqtt: { discovery: \"off\" }\n");
    REQUIRE_LOADS(off);
    CHECK_FALSE(off.config->mqtt.discovery_homeassistant);
}

TEST_CASE("bad discovery keys name the line, the column and the choices", "[config][errors]") {
    auto r = load_with(
        "mqtt: { discovery: homeasistant, discovery_prefix: \"ha/#\", discovery_luminaires: lamp }\n"
        "luminaires:\n"
        "  - { id: L-1, bus: bus1, address: 0, area: torget, discovery: ligth }\n");
    REQUIRE_ERROR(r, 12, 20, "unknown discovery 'homeasistant' (did you mean 'homeassistant'?)");
    REQUIRE_ERROR(r, 12, 52, "'ha/#' is not a usable topic prefix");
    REQUIRE_ERROR(r, 12, 82, "mqtt.discovery_luminaires: unknown entity kind 'lamp'");
    REQUIRE_ERROR(r, 14, 64, "luminaires[0].discovery: unknown entity kind 'ligth' (did you mean 'light'?)");
}
