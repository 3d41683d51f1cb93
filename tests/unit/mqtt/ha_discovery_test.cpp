// Home Assistant discovery configs (gateway/mqtt/ha_discovery.hpp) against
// Home Assistant's documentation: mqtt.markdown "Discovery messages" and
// light.mqtt.markdown "Default schema" (commits cited in the header).
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>

#include "gateway/mqtt/discovery_record.hpp"
#include "gateway/mqtt/ha_discovery.hpp"

using namespace lykta;
using namespace lykta::mqtt;
using nlohmann::json;

namespace {

config::Config sample_config() {
    config::Config c;
    c.gateway = {"gw1", "Cabinet 1"};
    c.mqtt.discovery_homeassistant = true;
    config::Area torget;
    torget.id = "torget";
    torget.name = "Torget";
    c.areas.push_back(torget);
    for (const char* id : {"L-1", "L-2", "L-3"}) {
        config::Luminaire l;
        l.id = id;
        l.bus = "bus1";
        l.area = "torget";
        c.luminaires.push_back(l);
    }
    c.luminaires[1].discovery = config::DiscoveryEntity::light;
    c.luminaires[2].discovery = config::DiscoveryEntity::none;
    return c;
}

const DiscoveryConfig& find(const std::vector<DiscoveryConfig>& all, const std::string& topic) {
    for (const auto& c : all)
        if (c.topic == topic) return c;
    FAIL("no config on " << topic);
    throw;
}

// What Home Assistant does with `{{ value }}` in brightness_command_template for a number.
std::string render_value(std::string tpl, int value) {
    auto at = tpl.find("{{ value }}");
    REQUIRE(at != std::string::npos);
    return tpl.replace(at, 11, std::to_string(value));
}

std::string temp_db() {
    return (std::filesystem::temp_directory_path() /
            ("lykta-discovery-unit-" + std::to_string(::getpid()) + "-" + std::to_string(rand()) + ".db"))
        .string();
}

}  // namespace

TEST_CASE("discovery topics follow <prefix>/<component>/<node_id>/<object_id>/config", "[discovery]") {
    auto c = sample_config();
    Topics topics(c.mqtt.prefix, c.gateway.id);
    auto all = homeassistant_configs(c, topics, "1.2.3");
    std::vector<std::string> names;
    for (const auto& d : all) names.push_back(d.topic);
    CHECK(names == std::vector<std::string>{"homeassistant/light/lykta_gw1/area_torget/config",
                                            "homeassistant/sensor/lykta_gw1/luminaire_L-1/config",
                                            "homeassistant/light/lykta_gw1/luminaire_L-2/config",
                                            "homeassistant/sensor/lykta_gw1/alarms_gw1/config"});
    // "The ID of the node must only consist of characters from the character class [a-zA-Z0-9_-]".
    const std::regex shape("homeassistant/(light|sensor)/[a-zA-Z0-9_-]+/[a-zA-Z0-9_-]+/config");
    for (const auto& d : all) CHECK(std::regex_match(d.topic, shape));

    c.mqtt.discovery_prefix = "ha/site";
    CHECK(homeassistant_configs(c, topics, "1.2.3").front().topic ==
          "ha/site/light/lykta_gw1/area_torget/config");
    c.mqtt.discovery_homeassistant = false;
    CHECK(homeassistant_configs(c, topics, "1.2.3").empty());
}

TEST_CASE("ids outside the topic character class are hex-encoded without collisions", "[discovery]") {
    CHECK(discovery_level("area", "torget") == "area_torget");
    CHECK(discovery_level("area", "a.b") == "area-612e62");
    CHECK(discovery_level("area", "a_b") == "area_a_b");
    CHECK(discovery_level("area", "612e62") != discovery_level("area", "a.b"));
    CHECK(discovery_unique_id("gw.1", "area", "a.b") == "lykta:gw.1:area:a.b");
    // ':' is in no id: the parts cannot run into each other.
    CHECK(discovery_unique_id("a", "area", "b_area_c") != discovery_unique_id("a_area_b", "area", "c"));
}

TEST_CASE("an area is a default-schema light speaking area/set and reading P/area/<id>/state",
          "[discovery]") {
    auto c = sample_config();
    Topics topics(c.mqtt.prefix, c.gateway.id);
    auto all = homeassistant_configs(c, topics, "1.2.3");
    const auto& area = find(all, "homeassistant/light/lykta_gw1/area_torget/config").payload;
    // The keys of light.mqtt.markdown's example "Brightness without on commands".
    CHECK(area["command_topic"] == "lykta/gw1/request/area/set");
    CHECK(area["brightness_command_topic"] == "lykta/gw1/request/area/set");
    CHECK(area["state_topic"] == "lykta/gw1/area/torget/state");
    CHECK(area["brightness_state_topic"] == "lykta/gw1/area/torget/state");
    CHECK(area["on_command_type"] == "brightness");
    CHECK(area["brightness_scale"] == 100);
    CHECK(area["schema"] == "default");
    CHECK(area["retain"] == false);
    // Off and a brightness are the existing area/set command, unchanged.
    CHECK(json::parse(area["payload_off"].get<std::string>()) == json{{"area", "torget"}, {"level", 0}});
    CHECK(json::parse(render_value(area["brightness_command_template"], 40)) ==
          json{{"area", "torget"}, {"level", 40}});
    CHECK(area["name"] == "Torget");
    CHECK(area["unique_id"] == "lykta:gw1:area:torget");
    CHECK(area["availability"] == json::array({{{"topic", "lykta/gw1/status"},
                                                {"value_template", "{{ value_json.state }}"},
                                                {"payload_available", "online"},
                                                {"payload_not_available", "offline"}}}));
    CHECK(area["device"]["identifiers"] == json::array({"lykta:gw1:gateway:gw1"}));
    CHECK(area["device"]["name"] == "Cabinet 1");
    CHECK(area["device"]["sw_version"] == "1.2.3");
    // The state template's "off" branch must be payload_off itself.
    CHECK(area["state_value_template"].get<std::string>().find(area["payload_off"].get<std::string>()) !=
          std::string::npos);
}

TEST_CASE("luminaires are sensors, lights or nothing; the fault count is a sensor", "[discovery]") {
    auto c = sample_config();
    Topics topics(c.mqtt.prefix, c.gateway.id);
    auto all = homeassistant_configs(c, topics, "1.2.3");
    const auto& sensor = find(all, "homeassistant/sensor/lykta_gw1/luminaire_L-1/config").payload;
    CHECK(sensor["state_topic"] == "lykta/gw1/luminaire/L-1/state");
    CHECK(sensor["unit_of_measurement"] == "%");
    CHECK(sensor["availability_mode"] == "all");
    CHECK(sensor["availability"].size() == 2);
    CHECK(sensor["availability"][1]["topic"] == "lykta/gw1/luminaire/L-1/state");
    const auto& light = find(all, "homeassistant/light/lykta_gw1/luminaire_L-2/config").payload;
    CHECK(light["command_topic"] == "lykta/gw1/request/luminaire/set");
    CHECK(json::parse(render_value(light["brightness_command_template"], 7)) ==
          json{{"luminaire", "L-2"}, {"level", 7}});
    const auto& alarms = find(all, "homeassistant/sensor/lykta_gw1/alarms_gw1/config").payload;
    CHECK(alarms["state_topic"] == "lykta/gw1/alarms");
    // Every entity of the gateway is distinct and tied to the one device.
    std::set<std::string> ids;
    for (const auto& d : all) {
        ids.insert(d.payload["unique_id"].get<std::string>());
        CHECK(d.payload["device"] == all.front().payload["device"]);
    }
    CHECK(ids.size() == all.size());
}

TEST_CASE("the discovery record removes configs that left, across a restart", "[discovery]") {
    auto path = temp_db();
    auto c = sample_config();
    Topics topics(c.mqtt.prefix, c.gateway.id);
    {
        store::Database db(path);
        DiscoveryRecord record(db);
        CHECK(record.topics().empty());
        for (const auto& m : record.messages(homeassistant_configs(c, topics, "1"))) record.sending(m);
        CHECK(record.topics().size() == 4);
    }
    c.areas.clear();
    c.luminaires[1].discovery = config::DiscoveryEntity::sensor;  // light -> sensor: a new topic
    {
        store::Database db(path);
        DiscoveryRecord record(db);
        CHECK(record.topics().size() == 4);
        auto messages = record.messages(homeassistant_configs(c, topics, "1"));
        std::vector<std::string> removed;
        for (const auto& [topic, payload] : messages)
            if (payload.empty()) removed.push_back(topic);
        CHECK(removed == std::vector<std::string>{"homeassistant/light/lykta_gw1/area_torget/config",
                                                  "homeassistant/light/lykta_gw1/luminaire_L-2/config"});
        for (const auto& m : messages) record.sending(m);
        record.removal_acknowledged(removed[0]);  // the second removal was never acknowledged
    }
    store::Database db(path);
    DiscoveryRecord record(db);
    CHECK(record.topics().count("homeassistant/light/lykta_gw1/area_torget/config") == 0);
    CHECK(record.topics().count("homeassistant/light/lykta_gw1/luminaire_L-2/config") == 1);  // sent again
    CHECK(record.topics().count("homeassistant/sensor/lykta_gw1/luminaire_L-2/config") == 1);
    std::filesystem::remove(path);
}
