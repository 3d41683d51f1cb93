#pragma once
// Every topic of the MQTT API v1 (docs/mqtt-api.md) is built here and nowhere
// else. `P` is "<mqtt.prefix>/<gateway.id>".
#include <optional>
#include <string>
#include <string_view>

namespace lykta::mqtt {

class Topics {
public:
    Topics(std::string_view prefix, std::string_view gateway_id);

    const std::string& root() const { return root_; }
    std::string status() const { return at("status"); }
    std::string info() const { return at("info"); }
    std::string heartbeat() const { return at("heartbeat"); }
    std::string event() const { return at("event"); }
    std::string telemetry() const { return at("telemetry"); }
    std::string alarms() const { return at("alarms"); }
    // The one subscription the daemon makes.
    std::string request_filter() const { return at("request/#"); }
    std::string response(std::string_view command) const;
    // P/<subtopic>: the sub-topics domain rooms hand to the Uplink.
    std::string at(std::string_view subtopic) const;

    // "P/request/luminaire/set" -> "luminaire/set"; nullopt for anything else
    // (another prefix, an empty command).
    std::optional<std::string> request_command(std::string_view topic) const;

    // Retained state sub-topics ("luminaire/<id>/state", "area/<id>/state", "meter/<id>/state").
    static std::string luminaire_state(std::string_view id);
    static std::string area_state(std::string_view id);
    static std::string meter_state(std::string_view id);

private:
    std::string root_;
};

// A retained state sub-topic split into kind ("luminaire", "area", "meter") and id.
struct StateTopicId {
    std::string kind;
    std::string id;
};
std::optional<StateTopicId> parse_state_subtopic(std::string_view subtopic);

// True when `topic` is a topic name one may publish to (non-empty, no wildcards,
// no NUL); used for client-supplied v5 response topics.
bool is_publishable_topic(std::string_view topic);

}  // namespace lykta::mqtt
