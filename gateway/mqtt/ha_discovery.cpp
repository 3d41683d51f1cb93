#include "gateway/mqtt/ha_discovery.hpp"

namespace lykta::mqtt {
namespace {

bool fits_topic_level(std::string_view id) {
    if (id.empty()) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-'))
            return false;
    return true;
}

// What every entity of the gateway shares: the device entry, availability from
// P/status (its JSON "state" is "online"/"offline", the documented defaults of
// payload_available / payload_not_available), QoS.
struct Common {
    const config::Config& config;
    const Topics& topics;
    std::string node_id;
    nlohmann::json device;

    nlohmann::json status_availability() const {
        return {{"topic", topics.status()},
                {"value_template", "{{ value_json.state }}"},
                {"payload_available", "online"},
                {"payload_not_available", "offline"}};
    }

    nlohmann::json entity(std::string_view kind, std::string_view id, std::string name) const {
        std::string level = discovery_level(kind, id);
        return {{"name", std::move(name)},
                {"unique_id", discovery_unique_id(config.gateway.id, kind, id)},
                {"object_id", node_id + "_" + level},
                {"device", device},
                {"availability", nlohmann::json::array({status_availability()})},
                {"qos", std::max(1, config.mqtt.qos)}};
    }

    std::string topic(std::string_view component, std::string_view kind, std::string_view id) const {
        return config.mqtt.discovery_prefix + "/" + std::string(component) + "/" + node_id + "/" +
               discovery_level(kind, id) + "/config";
    }
};

// A dimmable light on a set command (`command` is "area/set" or "luminaire/set",
// `key` "area" or "luminaire") and its retained state topic, whose JSON "level"
// is the level in percent (docs/mqtt-api.md, "Retained state"). Off is the set
// command with level 0 as payload_off; on is a brightness command only
// (on_command_type: brightness) with brightness_scale 100, so Home Assistant's
// brightness is our percent. The state template must yield payload_on ("ON") or
// payload_off exactly (light.mqtt.markdown, state_value_template), and "None"
// for an unknown level (state_topic: "A "None" payload resets to an unknown state").
nlohmann::json dimmable_light(nlohmann::json entity, const Topics& topics, std::string_view command,
                              std::string_view key, std::string_view id, const std::string& state_topic) {
    const std::string id_json = nlohmann::json(id).dump();
    const std::string off = "{\"" + std::string(key) + "\":" + id_json + ",\"level\":0}";
    entity["schema"] = "default";
    entity["command_topic"] = topics.at("request/" + std::string(command));
    entity["payload_on"] = "ON";
    entity["payload_off"] = off;
    entity["on_command_type"] = "brightness";
    entity["brightness_command_topic"] = topics.at("request/" + std::string(command));
    entity["brightness_command_template"] =
        "{\"" + std::string(key) + "\":" + id_json + ",\"level\":{{ value }}}";
    entity["brightness_scale"] = 100;
    entity["state_topic"] = state_topic;
    entity["state_value_template"] =
        "{% if value_json.level is none %}None{% elif value_json.level > 0 %}ON{% else %}" + off +
        "{% endif %}";
    entity["brightness_state_topic"] = state_topic;
    // An empty brightness is ignored; a level of 0 is the off state above.
    entity["brightness_value_template"] = "{{ value_json.level if value_json.level is not none else '' }}";
    entity["json_attributes_topic"] = state_topic;
    entity["optimistic"] = false;
    entity["retain"] = false;  // commands are requests, never retained
    return entity;
}

// A luminaire is also unavailable when its own state says the gear does not
// answer ("available": false): both availability topics must say online.
void add_gear_availability(nlohmann::json& entity, const std::string& state_topic) {
    entity["availability"].push_back(
        {{"topic", state_topic},
         {"value_template", "{{ 'online' if value_json.available else 'offline' }}"},
         {"payload_available", "online"},
         {"payload_not_available", "offline"}});
    entity["availability_mode"] = "all";
}

}  // namespace

std::string discovery_level(std::string_view kind, std::string_view id) {
    std::string out(kind);
    if (fits_topic_level(id)) return out.append("_").append(id);
    static const char* hex = "0123456789abcdef";
    out.push_back('-');
    for (unsigned char c : id) {
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xf]);
    }
    return out;
}

std::string discovery_unique_id(std::string_view gateway_id, std::string_view kind, std::string_view id) {
    std::string out = "lykta:";
    out.append(gateway_id).append(":").append(kind).append(":").append(id);
    return out;
}

std::vector<DiscoveryConfig> homeassistant_configs(const config::Config& config, const Topics& topics,
                                                   std::string_view version) {
    std::vector<DiscoveryConfig> out;
    if (!config.mqtt.discovery_homeassistant) return out;
    const auto& gateway = config.gateway;
    Common common{config, topics, discovery_level("lykta", gateway.id), {}};
    common.device = {
        {"identifiers", nlohmann::json::array({discovery_unique_id(gateway.id, "gateway", gateway.id)})},
        {"name", gateway.name.empty() ? gateway.id : gateway.name},
        {"manufacturer", "Lykta"},
        {"model", "lyktad street lighting gateway"},
        {"sw_version", version}};

    for (const auto& area : config.areas) {
        std::string state = topics.at(Topics::area_state(area.id));
        auto entity = common.entity("area", area.id, area.name.empty() ? area.id : area.name);
        out.push_back({common.topic("light", "area", area.id),
                       dimmable_light(std::move(entity), topics, "area/set", "area", area.id, state)});
    }
    for (const auto& luminaire : config.luminaires) {
        auto kind = luminaire.discovery.value_or(config.mqtt.discovery_luminaires);
        if (kind == config::DiscoveryEntity::none) continue;
        std::string state = topics.at(Topics::luminaire_state(luminaire.id));
        auto entity = common.entity("luminaire", luminaire.id, "Luminaire " + luminaire.id);
        add_gear_availability(entity, state);
        if (kind == config::DiscoveryEntity::light) {
            out.push_back({common.topic("light", "luminaire", luminaire.id),
                           dimmable_light(std::move(entity), topics, "luminaire/set", "luminaire",
                                          luminaire.id, state)});
            continue;
        }
        entity["state_topic"] = state;
        entity["value_template"] = "{{ value_json.level if value_json.level is not none else 'None' }}";
        entity["unit_of_measurement"] = "%";
        entity["state_class"] = "measurement";
        entity["json_attributes_topic"] = state;
        out.push_back({common.topic("sensor", "luminaire", luminaire.id), std::move(entity)});
    }
    // P/alarms: "total" is the number of active faults, listed or not (docs/mqtt-api.md).
    auto alarms = common.entity("alarms", gateway.id, "Active faults");
    alarms["state_topic"] = topics.alarms();
    alarms["value_template"] =
        "{{ value_json.total if value_json.total is defined else value_json.active | length }}";
    alarms["state_class"] = "measurement";
    alarms["icon"] = "mdi:alert";
    out.push_back({common.topic("sensor", "alarms", gateway.id), std::move(alarms)});
    return out;
}

}  // namespace lykta::mqtt
