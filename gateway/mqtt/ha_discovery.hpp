#pragma once
// Home Assistant MQTT discovery configs for this gateway (docs/integrations.md).
// Pure: built from the config and the API's own topics, so each config is
// checked without a broker.
//
// Source: Home Assistant's documentation, home-assistant/home-assistant.io:
// - source/_integrations/mqtt.markdown (commit 00db44afbea00b95c5ee3175d95494da7ad713e2),
//   "MQTT Discovery" > "Discovery messages": the topic
//   `<discovery_prefix>/<component>/[<node_id>/]<object_id>/config`, node_id and
//   object_id from `[a-zA-Z0-9_-]`, the payload a JSON dictionary checked like a
//   configuration.yaml entry, and "a configuration update with an empty payload
//   will cause a previously discovered device to be deleted"; "Discovery examples":
//   configs are published retained.
// - source/_integrations/light.mqtt.markdown (commit 01a585427fe8052395aa473bfa78aefafb252919),
//   "Default schema - Configuration" and the example "Brightness without on
//   commands" (`on_command_type: brightness`: command_topic only carries off).
// - source/_integrations/sensor.mqtt.markdown (commit 035b814cbe5be7ae3bf0ea2147e19f099fd0faec),
//   "Configuration": `state_topic` required, `value_template`, `unit_of_measurement`.
//
// Why the default light schema: it is the one whose command payloads are
// templates (`brightness_command_template`) or free strings (`payload_off`), so
// Home Assistant speaks `P/request/area/set` and `P/request/luminaire/set` as
// they are, and reads the level out of the existing state topics with value
// templates. The json schema would send `{"state":"ON","brightness":..}` (a new
// command), the template schema has no `brightness_scale`. Nothing new in the
// gateway's API.
#include <string>
#include <string_view>
#include <vector>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "gateway/config/model.hpp"
#include "gateway/mqtt/topics.hpp"

namespace lykta::mqtt {

struct DiscoveryConfig {
    std::string topic;       // <discovery_prefix>/<component>/<node_id>/<object_id>/config
    nlohmann::json payload;  // published retained
};

// Every config the gateway publishes: per area a light, per luminaire a light or
// a sensor (or none), the active fault count as a sensor. Empty when
// mqtt.discovery is off.
std::vector<DiscoveryConfig> homeassistant_configs(const config::Config& config, const Topics& topics,
                                                   std::string_view version);

// A topic level from `kind` and an id of the config ([A-Za-z0-9_.-]+) in the
// character class discovery allows ([a-zA-Z0-9_-]): "<kind>_<id>" when the id
// fits, else "<kind>-" and the id's bytes in hex. The two shapes differ at the
// separator, so distinct ids never share a topic. Stable: it depends on the id only.
std::string discovery_level(std::string_view kind, std::string_view id);

// unique_id of an entity: "lykta:<gateway id>:<kind>:<id>". ':' occurs in no id,
// so the parts never run into each other; stable across restarts by construction.
std::string discovery_unique_id(std::string_view gateway_id, std::string_view kind, std::string_view id);

}  // namespace lykta::mqtt
