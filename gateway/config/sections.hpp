#pragma once
// One parser per top-level section of the config file. Each reads its YAML
// node (absent sections arrive as undefined nodes and keep the model's
// defaults), reports problems to the context and fills the model. References
// between sections are checked afterwards (cross_references.hpp), so the
// parsers do not depend on each other's order.
#include <yaml-cpp/yaml.h>

#include "gateway/config/model.hpp"
#include "gateway/config/parse_context.hpp"

namespace lykta::config {

void parse_gateway(ParseContext& ctx, const YAML::Node& node, GatewayConfig& out);
void parse_site(ParseContext& ctx, const YAML::Node& node, Site& out);
void parse_store(ParseContext& ctx, const YAML::Node& node, StoreConfig& out);
void parse_log(ParseContext& ctx, const YAML::Node& node, LogConfig& out);
void parse_control(ParseContext& ctx, const YAML::Node& node, ControlConfig& out);
// Absent or null: `out` stays empty (the crew page is off).
void parse_http(ParseContext& ctx, const YAML::Node& node, std::optional<HttpConfig>& out);
// client_id defaults to `gateway_id` when not given.
void parse_mqtt(ParseContext& ctx, const YAML::Node& node, const std::string& gateway_id, MqttConfig& out);
void parse_dali(ParseContext& ctx, const YAML::Node& node, DaliConfig& out);
// "foxtron://host:port", "hasseb:///dev/hidraw0" or {type, host, port} / {type, device}.
std::optional<Endpoint> parse_endpoint(ParseContext& ctx, const YAML::Node& node, const std::string& path);
void parse_luminaires(ParseContext& ctx, const YAML::Node& node, std::vector<Luminaire>& out);
void parse_areas(ParseContext& ctx, const YAML::Node& node, std::vector<Area>& out);
void parse_profiles(ParseContext& ctx, const YAML::Node& node, std::vector<Profile>& out);
void parse_calendar(ParseContext& ctx, const YAML::Node& node, std::vector<CalendarRule>& out);
void parse_holidays(ParseContext& ctx, const YAML::Node& node,
                    std::map<std::string, std::vector<DateSpec>>& out);
// `timezone` (already validated, may be invalid -> UTC) places date-only
// from/until values on the time line for the from <= until check.
void parse_safety_flags(ParseContext& ctx, const YAML::Node& node, const std::string& timezone,
                        std::vector<SafetyFlag>& out);
void parse_modbus(ParseContext& ctx, const YAML::Node& node, ModbusConfig& out);

}  // namespace lykta::config
