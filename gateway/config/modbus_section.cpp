// modbus: serial/TCP networks, the devices on them, and where device
// templates are looked up. Template contents are the Modbus driver's business.
#include "gateway/config/modbus_url.hpp"
#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

const std::vector<std::string> rtu_only{"device",    "baud",  "parity",        "data_bits",
                                        "stop_bits", "rs485", "byte_timeout_s"};
const std::vector<std::string> tcp_only{"host", "port", "pipeline"};

// The short form: `url` says the type, where, and the type's settings
// (gateway/config/modbus_url.hpp); only the timeouts may also be keys.
void parse_network_url(ParseContext& ctx, MapReader& map, ModbusNetwork& net) {
    for (const auto& key : rtu_only)
        if (map.has(key))
            ctx.error(map.pos_of(key), map.path_of(key),
                      "'" + key + "' goes in the url's query when 'url' is given");
    for (const auto& key : tcp_only)
        if (map.has(key))
            ctx.error(map.pos_of(key), map.path_of(key), "'" + key + "' goes in the url when 'url' is given");
    if (map.has("type")) ctx.error(map.pos_of("type"), map.path_of("type"), "the url gives the type");
    std::string url;
    if (!map.read("url", url)) return;
    const ModbusNetwork keys = net;  // timeouts read as keys: the query must not repeat them
    if (auto problem = parse_modbus_url(url, net)) {
        SourcePos pos = map.pos_of("url");
        // The column of the offending character, where the scalar is on one line as written.
        const YAML::Node node = map.node("url");
        if (pos.line > 0 && url.find('\n') == std::string::npos)
            pos.col += static_cast<int>(problem->offset) + (node.Tag() == "!" ? 1 : 0);
        ctx.error(pos, map.path_of("url"), "'" + url + "': " + problem->message);
        return;
    }
    for (const char* key : {"response_timeout_s", "reopen_after_s"})
        if (map.has(key) && url.find(std::string(key) + "=") != std::string::npos)
            ctx.error(map.pos_of(key), map.path_of(key),
                      "'" + std::string(key) + "' is given in the url too");
    if (map.has("response_timeout_s")) net.response_timeout_s = keys.response_timeout_s;
    if (map.has("reopen_after_s")) net.reopen_after_s = keys.reopen_after_s;
}

void parse_network(ParseContext& ctx, const YAML::Node& node, const std::string& path, ModbusConfig& out) {
    std::vector<std::string> keys{"id", "type", "url", "response_timeout_s", "reopen_after_s"};
    keys.insert(keys.end(), rtu_only.begin(), rtu_only.end());
    keys.insert(keys.end(), tcp_only.begin(), tcp_only.end());
    MapReader map(ctx, node, path, keys);
    if (!map.is_map()) return;
    ModbusNetwork net;
    map.read_id("id", net.id);
    map.read_positive("response_timeout_s", net.response_timeout_s);
    map.read_positive("reopen_after_s", net.reopen_after_s);
    if (map.has("url")) {
        parse_network_url(ctx, map, net);
        out.networks.push_back(std::move(net));
        ctx.entries.networks.push_back(path);
        return;
    }
    if (!map.has("type")) {
        ctx.error(map.pos(), path, "missing required key 'url' (or 'type' and its keys)");
    } else if (map.read("type", net.type, Need::required) && net.type != "rtu" && net.type != "tcp") {
        ctx.error(map.pos_of("type"), map.path_of("type"),
                  "unknown network type '" + net.type + "' (rtu or tcp)");
    }
    if (net.type == "rtu") {
        for (const auto& key : tcp_only)
            if (map.has(key))
                ctx.error(map.pos_of(key), map.path_of(key), "'" + key + "' applies to tcp networks only");
        map.read("device", net.device, Need::required);
        map.read_positive("baud", net.baud);
        std::string parity;
        if (map.read("parity", parity)) {
            if (parity == "N" || parity == "E" || parity == "O")
                net.parity = parity[0];
            else
                ctx.error(map.pos_of("parity"), map.path_of("parity"), "'" + parity + "' is not N, E or O");
        }
        map.read("data_bits", net.data_bits, 5, 8);
        map.read("stop_bits", net.stop_bits, 1, 2);
        map.read("rs485", net.rs485);
        map.read_positive("byte_timeout_s", net.byte_timeout_s);
    } else if (net.type == "tcp") {
        for (const auto& key : rtu_only)
            if (map.has(key))
                ctx.error(map.pos_of(key), map.path_of(key), "'" + key + "' applies to rtu networks only");
        map.read("host", net.host, Need::required);
        map.read("port", net.port, 1, 65535);
        map.read("pipeline", net.pipeline, 1, 16);
    }
    out.networks.push_back(std::move(net));
    ctx.entries.networks.push_back(path);
}

void parse_device(ParseContext& ctx, const YAML::Node& node, const std::string& path, ModbusConfig& out) {
    MapReader map(ctx, node, path,
                  {"id", "network", "unit", "template", "poll_s", "areas", "full_publish_s", "offline_after",
                   "write_multiple"});
    if (!map.is_map()) return;
    ModbusDevice dev;
    map.read_id("id", dev.id);
    map.read_id("network", dev.network);
    map.read("unit", dev.unit, 0, 255, Need::required);  // 1..247 on RTU: checked with the network
    map.read_id("template", dev.template_name);
    dev.template_pos = map.pos_of("template");
    map.read_positive("poll_s", dev.poll_s);
    map.read_positive("full_publish_s", dev.full_publish_s);
    map.read("offline_after", dev.offline_after, 1, 1000);
    map.read("write_multiple", dev.write_multiple);
    if (map.has("areas")) dev.areas = read_string_list(ctx, map.node("areas"), map.path_of("areas"));
    out.devices.push_back(std::move(dev));
    ctx.entries.devices.push_back(path);
}

void parse_contactor(ParseContext& ctx, const YAML::Node& node, const std::string& path, ModbusConfig& out) {
    MapReader map(ctx, node, path, {"device", "value", "areas", "retry_s", "power_up_s"});
    if (!map.is_map()) return;
    ModbusContactor contactor;
    map.read_id("device", contactor.device);
    map.read_id("value", contactor.value, Need::optional);
    contactor.value_pos = map.has("value") ? map.pos_of("value") : map.pos();
    map.read_positive("retry_s", contactor.retry_s);
    map.read_positive("power_up_s", contactor.power_up_s);
    if (map.require("areas")) {
        contactor.areas = read_string_list(ctx, map.node("areas"), map.path_of("areas"));
        if (contactor.areas.empty() && map.node("areas").IsSequence())
            ctx.error(map.pos_of("areas"), map.path_of("areas"), "a contactor must feed at least one area");
    }
    out.contactors.push_back(std::move(contactor));
    ctx.entries.contactors.push_back(path);
}

}  // namespace

void parse_modbus(ParseContext& ctx, const YAML::Node& node, ModbusConfig& out) {
    out.template_dirs = {ctx.resolve_path("templates"), "/usr/share/lykta/templates"};
    if (!node.IsDefined() || node.IsNull()) return;
    MapReader map(ctx, node, "modbus", {"networks", "devices", "contactors", "template_dirs"});
    if (!map.is_map()) return;
    if (map.has("template_dirs")) {
        out.template_dirs.clear();
        for (const auto& dir : read_string_list(ctx, map.node("template_dirs"), "modbus.template_dirs"))
            out.template_dirs.push_back(ctx.resolve_path(dir));
    }
    if (map.has("networks")) {
        auto items = read_list(ctx, map.node("networks"), "modbus.networks");
        for (std::size_t i = 0; i < items.size(); ++i)
            parse_network(ctx, items[i], "modbus.networks[" + std::to_string(i) + "]", out);
    }
    if (map.has("devices")) {
        auto items = read_list(ctx, map.node("devices"), "modbus.devices");
        for (std::size_t i = 0; i < items.size(); ++i)
            parse_device(ctx, items[i], "modbus.devices[" + std::to_string(i) + "]", out);
    }
    if (map.has("contactors")) {
        auto items = read_list(ctx, map.node("contactors"), "modbus.contactors");
        for (std::size_t i = 0; i < items.size(); ++i)
            parse_contactor(ctx, items[i], "modbus.contactors[" + std::to_string(i) + "]", out);
    }
}

}  // namespace lykta::config
