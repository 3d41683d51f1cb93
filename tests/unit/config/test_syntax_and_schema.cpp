// YAML syntax errors, unknown keys, wrong types, missing keys, version.
#include "config_test_support.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

TEST_CASE("YAML syntax error is reported at its position", "[config][errors]") {
    auto r = load_string("version: 1\ngateway: { id: x\nsite: 1\n", "bad.yaml");
    REQUIRE_ERROR(r, 3, 5, "YAML syntax error: end of map flow not found");
    CHECK(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].to_string() == "bad.yaml:3:5: YAML syntax error: end of map flow not found");

    auto indent = load_string("version: 1\ngateway:\n  id: x\n   bad: 1\n", "bad.yaml");
    REQUIRE_ERROR(indent, 4, 7, "YAML syntax error");
}

TEST_CASE("empty document and non-map root", "[config][errors]") {
    REQUIRE_ERROR(load_string("", "e.yaml"), 1, 1, "the document is empty");
    REQUIRE_ERROR(load_string("- a\n", "e.yaml"), 1, 1, "expected a map, got a list");
}

TEST_CASE("unknown keys suggest the closest known key", "[config][errors]") {
    auto r = load_with(
        "luminaires:\n"
        "  - { id: L-1, bus: bus1, adress: 3, area: torget }\n"
        "mqtt: { qso: 1 }\n"
        "colour: red\n");
    REQUIRE_ERROR(r, 13, 27, "luminaires[0]: unknown key 'adress' (did you mean 'address'?)");
    REQUIRE_ERROR(r, 14, 9, "mqtt: unknown key 'qso' (did you mean 'qos'?)");
    REQUIRE_ERROR(r, 15, 1, "unknown key 'colour'");
    for (const auto& d : r.diagnostics)
        if (d.pos.line == 15) CHECK(d.message.find("did you mean") == std::string::npos);
    // The misspelt key is not reported a second time as "missing required key 'address'".
    for (const auto& d : r.diagnostics) CHECK(d.message.find("missing required key") == std::string::npos);
}

TEST_CASE("duplicate keys in a map", "[config][errors]") {
    auto r = load_with("mqtt:\n  qos: 1\n  qos: 2\n");
    REQUIRE_ERROR(r, 14, 3, "mqtt: duplicate key 'qos' (first at line 13)");
}

TEST_CASE("wrong types name the expected type and what was found", "[config][errors]") {
    auto r = load_with(
        "mqtt:\n"
        "  qos: one\n"
        "  heartbeat_s: [1, 2]\n"
        "  tls: yes\n"
        "log: { level: [x] }\n"
        "luminaires: { id: L-1 }\n");
    REQUIRE_ERROR(r, 13, 8, "mqtt.qos: expected an integer, got 'one'");
    REQUIRE_ERROR(r, 14, 16, "mqtt.heartbeat_s: expected an integer, got a list");
    REQUIRE_ERROR(r, 15, 8, "mqtt.tls: expected a map, got 'yes'");
    REQUIRE_ERROR(r, 16, 15, "log.level: expected a string, got a list");
    REQUIRE_ERROR(r, 17, 13, "luminaires: expected a list, got a map");
}

TEST_CASE("missing required keys are reported at the enclosing map", "[config][errors]") {
    auto r = load_string("version: 1\ngateway: { name: x }\n", "m.yaml");
    REQUIRE_ERROR(r, 1, 1, "missing required key 'site'");
    REQUIRE_ERROR(r, 2, 10, "gateway: missing required key 'id'");

    auto lum = load_with("luminaires:\n  - id: L-1\n    area: torget\n");
    REQUIRE_ERROR(lum, 13, 5, "luminaires[0]: missing required key 'bus'");
    REQUIRE_ERROR(lum, 13, 5, "luminaires[0]: missing required key 'address'");

    auto empty_value = load_with("luminaires:\n  - id: L-1\n    bus:\n    address: 1\n    area: torget\n");
    REQUIRE_ERROR(empty_value, 14, 5, "luminaires[0].bus: needs a value");
}

TEST_CASE("version must be 1", "[config][errors]") {
    auto r = load_string(
        "version: 2\ngateway: { id: g }\nsite: { latitude: 0, longitude: 0, timezone: UTC }\n", "v.yaml");
    REQUIRE_ERROR(r, 1, 10, "version: 2 is not supported");
    REQUIRE_ERROR(
        load_string("gateway: { id: g }\nsite: { latitude: 0, longitude: 0, timezone: UTC }\n", "v.yaml"), 1,
        1, "missing required key 'version'");
}

TEST_CASE("ids must be [A-Za-z0-9_.-]+", "[config][errors]") {
    auto r = load_string(
        "version: 1\ngateway: { id: \"bad id\" }\nsite: { latitude: 0, longitude: 0, timezone: UTC }\n",
        "i.yaml");
    REQUIRE_ERROR(r, 2, 16, "gateway.id: 'bad id' is not a valid id");
    auto bus = load_with("luminaires:\n  - { id: L-1, bus: \"bus 1\", address: 0, area: torget }\n");
    REQUIRE_ERROR(bus, 13, 21, "luminaires[0].bus: 'bus 1' is not a valid id");
}

TEST_CASE("every problem is reported, in file order", "[config][errors]") {
    auto r = load_with(
        "mqtt: { qos: 3, version: 4 }\n"
        "log: { level: inof }\n");
    INFO(dump(r.diagnostics));
    REQUIRE(r.diagnostics.size() == 3);
    CHECK(r.diagnostics[0].to_string() == "test.yaml:12:14: mqtt.qos: 3 is out of range 0..2");
    CHECK(r.diagnostics[1].to_string() ==
          "test.yaml:12:26: mqtt.version: 4 is not a supported MQTT version (auto, 3 for MQTT 3.1.1, or 5)");
    CHECK(r.diagnostics[2].message.find("log.level: unknown level 'inof' (did you mean 'info'?)") == 0);
    CHECK_FALSE(r.config);
}

TEST_CASE("mqtt.subscribe_qos: unset follows qos (at least 1), set is taken, out of range is an error",
          "[config]") {
    auto unset = load_with("mqtt: { qos: 0 }\n");
    REQUIRE(unset.config);
    CHECK_FALSE(unset.config->mqtt.subscribe_qos);
    CHECK(unset.config->mqtt.subscribed_qos() == 1);
    auto two = load_with("mqtt: { qos: 2 }\n");
    REQUIRE(two.config);
    CHECK(two.config->mqtt.subscribed_qos() == 2);

    auto zero = load_with("mqtt: { subscribe_qos: 0 }\n");
    INFO(dump(zero.diagnostics));
    REQUIRE(zero.config);
    CHECK(zero.config->mqtt.subscribe_qos == 0);
    CHECK(zero.config->mqtt.subscribed_qos() == 0);
    CHECK(zero.config->mqtt.qos == 1);  // publishing is unchanged

    auto bad = load_with("mqtt: { subscribe_qos: 3 }\n");
    REQUIRE_ERROR(bad, 12, 24, "mqtt.subscribe_qos: 3 is out of range 0..2");
    CHECK_FALSE(bad.config);
}
