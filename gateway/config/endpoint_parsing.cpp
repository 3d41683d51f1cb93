// DALI interface endpoints: a URL or the equivalent map.
#include <charconv>

#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

bool is_scheme(const std::string& s) {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.' && c != '_')
            return false;
    return true;
}

std::optional<int> parse_port(const std::string& text) {
    int port = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535)
        return std::nullopt;
    return port;
}

std::optional<Endpoint> parse_endpoint_url(ParseContext& ctx, const YAML::Node& node,
                                           const std::string& path) {
    const std::string url = node.Scalar();
    const auto pos = ctx.pos(node);
    ctx.record(path, pos);
    auto sep = url.find("://");
    if (sep == std::string::npos || !is_scheme(url.substr(0, sep))) {
        ctx.error(
            pos, path,
            "'" + url + "' is not an endpoint URL (expected PROTOCOL://HOST:PORT or PROTOCOL:///dev/PATH)");
        return std::nullopt;
    }
    Endpoint e;
    e.protocol = url.substr(0, sep);
    std::string rest = url.substr(sep + 3);
    if (!rest.empty() && rest[0] == '/') {  // "proto:///dev/ttyUSB0": empty authority, then a path
        e.device = rest;
        return e;
    }
    auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        ctx.error(pos, path,
                  "'" + url + "' needs HOST:PORT (or a device path after '" + e.protocol + ":///')");
        return std::nullopt;
    }
    e.host = rest.substr(0, colon);
    auto port = parse_port(rest.substr(colon + 1));
    if (!port) {
        ctx.error(pos, path,
                  "port '" + rest.substr(colon + 1) + "' in '" + url + "' is out of range 1..65535");
        return std::nullopt;
    }
    e.port = *port;
    return e;
}

}  // namespace

std::optional<Endpoint> parse_endpoint(ParseContext& ctx, const YAML::Node& node, const std::string& path) {
    if (node.IsScalar()) return parse_endpoint_url(ctx, node, path);
    if (!node.IsMap()) {
        ctx.error(ctx.pos(node), path, "expected an endpoint URL or a map, got " + describe(node));
        return std::nullopt;
    }
    MapReader map(ctx, node, path, {"type", "host", "port", "device"});
    Endpoint e;
    bool ok = map.read("type", e.protocol, Need::required);
    if (ok && !is_scheme(e.protocol)) {
        ctx.error(map.pos_of("type"), map.path_of("type"), "'" + e.protocol + "' is not a protocol name");
        ok = false;
    }
    if (map.has("device") && map.has("host")) {
        ctx.error(map.pos(), path, "give either 'device' or 'host' and 'port', not both");
        return std::nullopt;
    }
    if (map.has("device")) {
        ok = map.read("device", e.device) && ok;
        if (map.has("port")) {
            ctx.error(map.pos_of("port"), map.path_of("port"), "'port' goes with 'host', not with 'device'");
            ok = false;
        }
    } else if (map.has("host")) {
        ok = map.read("host", e.host) && ok;
        ok = map.read("port", e.port, 1, 65535, Need::required) && ok;
    } else {
        ctx.error(map.pos(), path, "missing required key 'host' or 'device'");
        return std::nullopt;
    }
    if (!ok) return std::nullopt;
    return e;
}

}  // namespace lykta::config
