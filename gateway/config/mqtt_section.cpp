// mqtt: broker connection, topics, limits.
#include <charconv>

#include "gateway/config/closest_name.hpp"
#include "gateway/config/discovery_entity.hpp"
#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

// "tcp://host:port", "ssl://host:port", "ws://host:port/path", "wss://...".
// Returns the scheme, or reports why the URI is not one Paho accepts.
std::optional<std::string> check_broker_uri(ParseContext& ctx, const std::string& uri, const SourcePos& pos) {
    static const std::vector<std::string> schemes{"tcp", "ssl", "ws", "wss"};
    const std::string path = "mqtt.uri";
    auto sep = uri.find("://");
    if (sep == std::string::npos) {
        ctx.error(pos, path,
                  "'" + uri + "' is not a broker URI (expected tcp://HOST:PORT or ssl://HOST:PORT)");
        return std::nullopt;
    }
    std::string scheme = uri.substr(0, sep);
    if (std::find(schemes.begin(), schemes.end(), scheme) == schemes.end()) {
        ctx.error(
            pos, path,
            "unsupported scheme '" + scheme + "'" + did_you_mean(scheme, schemes) + " (tcp, ssl, ws, wss)");
        return std::nullopt;
    }
    std::string rest = uri.substr(sep + 3);
    rest = rest.substr(0, rest.find('/'));
    std::string host = rest;
    if (auto colon = rest.rfind(':'); colon != std::string::npos && rest.find(']') == std::string::npos) {
        host = rest.substr(0, colon);
        std::string port_text = rest.substr(colon + 1);
        int port = 0;
        auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
            port < 1 || port > 65535) {
            ctx.error(pos, path, "port '" + port_text + "' in '" + uri + "' is out of range 1..65535");
            return std::nullopt;
        }
    }
    if (host.empty()) {
        ctx.error(pos, path, "'" + uri + "' has no host");
        return std::nullopt;
    }
    return scheme;
}

void parse_tls(ParseContext& ctx, const YAML::Node& node, TlsConfig& out) {
    MapReader map(ctx, node, "mqtt.tls", {"ca_file", "cert_file", "key_file", "verify_hostname"});
    if (!map.is_map()) return;
    out.enabled = true;
    for (auto [key, field] :
         {std::pair{"ca_file", &TlsConfig::ca_file}, std::pair{"cert_file", &TlsConfig::cert_file},
          std::pair{"key_file", &TlsConfig::key_file}}) {
        if (map.read(key, out.*field)) out.*field = ctx.resolve_path(out.*field);
    }
    map.read("verify_hostname", out.verify_hostname);
    if (out.cert_file.empty() != out.key_file.empty())
        ctx.error(map.pos(), "mqtt.tls", "cert_file and key_file must be given together");
}

// One URI or a list of them: every node of a cluster, tried in order.
void parse_uris(ParseContext& ctx, const YAML::Node& node, MqttConfig& out) {
    std::vector<std::pair<std::string, YAML::Node>> given;
    if (node.IsSequence()) {
        auto items = read_list(ctx, node, "mqtt.uri");
        if (items.empty()) ctx.error(ctx.pos(node), "mqtt.uri", "the list of broker URIs is empty");
        for (std::size_t i = 0; i < items.size(); ++i)
            if (auto uri = read_string(ctx, items[i], "mqtt.uri." + std::to_string(i)))
                given.emplace_back(*uri, items[i]);
    } else if (auto uri = read_string(ctx, node, "mqtt.uri")) {
        given.emplace_back(*uri, node);
    }
    std::vector<std::string> uris;
    for (const auto& [uri, item] : given) {
        auto scheme = check_broker_uri(ctx, uri, ctx.pos(item));
        if (!scheme) continue;
        if (*scheme == "ssl" || *scheme == "wss") out.tls.enabled = true;
        if (std::find(uris.begin(), uris.end(), uri) != uris.end())
            ctx.error(ctx.pos(item), "mqtt.uri", "'" + uri + "' is listed twice");
        uris.push_back(uri);
    }
    if (uris.empty()) return;
    out.uris = std::move(uris);
    out.uri = out.uris.front();
}

// 3, 5 or "auto" (the default: 5, falling back to 3.1.1 on a broker that refuses 5).
void parse_version(ParseContext& ctx, MapReader& map, MqttConfig& out) {
    if (!map.has("version")) return;
    auto node = map.node("version");
    if (node.IsScalar() && node.Scalar() == "auto") {
        out.version = 0;
        return;
    }
    int version = out.version;
    if (!map.read("version", version, -1'000'000, 1'000'000)) return;
    if (version != 3 && version != 5)
        ctx.error(map.pos_of("version"), "mqtt.version",
                  std::to_string(version) +
                      " is not a supported MQTT version (auto, 3 for MQTT 3.1.1, or 5)");
    else
        out.version = version;
}

bool is_valid_prefix(const std::string& prefix) {
    if (prefix.empty() || prefix.front() == '/' || prefix.back() == '/') return false;
    return prefix.find_first_of("#+") == std::string::npos;
}

// mqtt.discovery: homeassistant | off; discovery_prefix; discovery_luminaires.
void parse_discovery(ParseContext& ctx, MapReader& map, MqttConfig& out) {
    if (std::string kind; map.read("discovery", kind)) {
        if (kind == "homeassistant")
            out.discovery_homeassistant = true;
        else if (kind != "off")
            ctx.error(map.pos_of("discovery"), "mqtt.discovery",
                      "unknown discovery '" + kind + "'" + did_you_mean(kind, {"homeassistant", "off"}) +
                          " (homeassistant, off)");
    }
    if (map.read("discovery_prefix", out.discovery_prefix) && !is_valid_prefix(out.discovery_prefix))
        ctx.error(map.pos_of("discovery_prefix"), "mqtt.discovery_prefix",
                  "'" + out.discovery_prefix +
                      "' is not a usable topic prefix (non-empty, no '+' or '#', no leading or "
                      "trailing '/')");
    read_discovery_entity(ctx, map, "discovery_luminaires", out.discovery_luminaires);
}

}  // namespace

void parse_mqtt(ParseContext& ctx, const YAML::Node& node, const std::string& gateway_id, MqttConfig& out) {
    out.client_id = gateway_id;
    if (!node.IsDefined() || node.IsNull()) return;
    MapReader map(ctx, node, "mqtt",
                  {"uri", "client_id", "username", "password_file", "tls", "prefix", "qos", "subscribe_qos", "version",
                   "keepalive_s", "heartbeat_s", "outbox_max_mb", "max_payload", "rate_limit_per_s",
                   "discovery", "discovery_prefix", "discovery_luminaires"});
    if (!map.is_map()) return;
    if (map.has("uri")) parse_uris(ctx, map.node("uri"), out);
    map.read("client_id", out.client_id);
    if (out.client_id.empty() && map.has("client_id"))
        ctx.error(map.pos_of("client_id"), "mqtt.client_id", "must not be empty");
    map.read("username", out.username);
    if (map.read("password_file", out.password_file)) out.password_file = ctx.resolve_path(out.password_file);
    if (map.has("tls")) parse_tls(ctx, map.node("tls"), out.tls);
    if (map.read("prefix", out.prefix) && !is_valid_prefix(out.prefix))
        ctx.error(map.pos_of("prefix"), "mqtt.prefix",
                  "'" + out.prefix +
                      "' is not a usable topic prefix (non-empty, no '+' or '#', no leading or "
                      "trailing '/')");
    map.read("qos", out.qos, 0, 2);
    if (int qos = 0; map.read("subscribe_qos", qos, 0, 2)) out.subscribe_qos = qos;
    parse_version(ctx, map, out);
    map.read_positive("keepalive_s", out.keepalive_s);
    map.read_positive("heartbeat_s", out.heartbeat_s);
    map.read_positive("outbox_max_mb", out.outbox_max_mb);
    map.read_positive("max_payload", out.max_payload);
    map.read_positive("rate_limit_per_s", out.rate_limit_per_s);
    parse_discovery(ctx, map, out);
}

}  // namespace lykta::config
