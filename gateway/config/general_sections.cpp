// The small sections: gateway, site, store, log, control.
#include <date/tz.h>
#include <algorithm>

#include <array>

#include "gateway/config/closest_name.hpp"
#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {

void parse_gateway(ParseContext& ctx, const YAML::Node& node, GatewayConfig& out) {
    MapReader map(ctx, node, "gateway", {"id", "name"});
    if (!map.is_map()) return;
    map.read_id("id", out.id);
    map.read("name", out.name);
}

namespace {

bool is_known_zone(const std::string& name) {
    try {
        date::locate_zone(name);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

void parse_site(ParseContext& ctx, const YAML::Node& node, Site& out) {
    MapReader map(ctx, node, "site", {"latitude", "longitude", "timezone"});
    if (!map.is_map()) return;
    map.read("latitude", out.latitude, -90, 90, Need::required);
    map.read("longitude", out.longitude, -180, 180, Need::required);
    std::string zone;
    if (map.read("timezone", zone, Need::required)) {
        if (is_known_zone(zone))
            out.timezone = zone;
        else
            ctx.error(map.pos_of("timezone"), "site.timezone",
                      "unknown time zone '" + zone + "' (expected an IANA name such as Europe/Stockholm)");
    }
}

void parse_store(ParseContext& ctx, const YAML::Node& node, StoreConfig& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    MapReader map(ctx, node, "store", {"path"});
    if (!map.is_map()) return;
    if (map.read("path", out.path)) out.path = ctx.resolve_path(out.path);
}

void parse_log(ParseContext& ctx, const YAML::Node& node, LogConfig& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    MapReader map(ctx, node, "log", {"level"});
    if (!map.is_map()) return;
    static const std::vector<std::string> levels{"trace", "debug",    "info", "warn",
                                                 "error", "critical", "off"};
    std::string level;
    if (!map.read("level", level)) return;
    if (std::find(levels.begin(), levels.end(), level) == levels.end()) {
        ctx.error(map.pos_of("level"), "log.level",
                  "unknown level '" + level + "'" + did_you_mean(level, levels) +
                      " (trace, debug, info, warn, error, critical, off)");
        return;
    }
    out.level = level;
}

void parse_control(ParseContext& ctx, const YAML::Node& node, ControlConfig& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    MapReader map(ctx, node, "control", {"socket"});
    if (!map.is_map()) return;
    std::string socket;
    if (!map.read("socket", socket)) return;
    if (!socket.empty()) socket = ctx.resolve_path(socket);
    // sockaddr_un holds 108 bytes including the terminator.
    if (socket.empty() || socket.size() > 107) {
        ctx.error(map.pos_of("socket"), "control.socket",
                  "'" + socket + "' cannot be a socket path (1..107 characters once made absolute)");
        return;
    }
    out.socket = socket;
}

}  // namespace lykta::config
