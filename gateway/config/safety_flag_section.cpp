// safety_flags: standing flags written in the config (more arrive over MQTT).
#include <date/tz.h>

#include <cctype>

#include "gateway/config/date_parsing.hpp"
#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

const date::time_zone* find_zone(const std::string& name) {
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        return nullptr;
    }
}

std::optional<Recurrence> parse_recurrence(ParseContext& ctx, const YAML::Node& node,
                                           const std::string& path) {
    MapReader map(ctx, node, path, {"weekdays", "from", "to"});
    if (!map.is_map()) return std::nullopt;
    Recurrence r;
    bool ok = true;
    if (map.has("weekdays")) {
        auto days = read_weekdays(ctx, map.node("weekdays"), map.path_of("weekdays"));
        if (days)
            r.weekdays = *days;
        else
            ok = false;
    }
    for (auto [key, field] :
         {std::pair{"from", &Recurrence::from_minutes}, std::pair{"to", &Recurrence::to_minutes}}) {
        std::string text;
        if (!map.read(key, text, Need::required)) {
            ok = false;
            continue;
        }
        if (auto m = parse_clock_minutes(text)) {
            r.*field = *m;
        } else {
            ctx.error(map.pos_of(key), map.path_of(key),
                      "'" + text + "' is not a clock time HH:MM (00:00..23:59)");
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    return r;
}

}  // namespace

void parse_safety_flags(ParseContext& ctx, const YAML::Node& node, const std::string& timezone,
                        std::vector<SafetyFlag>& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    const date::time_zone* zone = find_zone(timezone);
    auto items = read_list(ctx, node, "safety_flags");
    for (std::size_t i = 0; i < items.size(); ++i) {
        std::string path = "safety_flags[" + std::to_string(i) + "]";
        MapReader map(ctx, items[i], path,
                      {"id", "area", "source", "reason", "from", "until", "recurrence", "profile"});
        if (!map.is_map()) continue;
        SafetyFlag flag;
        flag.id = "cfg-" + std::to_string(i + 1);
        if (map.has("id")) map.read_id("id", flag.id);
        map.read_id("area", flag.area);
        map.read("source", flag.source);
        map.read("reason", flag.reason);
        if (map.has("profile")) map.read_id("profile", flag.profile);
        std::optional<SystemTime> from;
        std::optional<SystemTime> until;
        for (auto [key, field, instant] : {std::tuple{"from", &SafetyFlag::from, &from},
                                           std::tuple{"until", &SafetyFlag::until, &until}}) {
            if (!map.read(key, flag.*field)) continue;
            std::string error;
            *instant = parse_flag_time(flag.*field, zone, std::string_view(key) == "until", error);
            if (!*instant) ctx.error(map.pos_of(key), map.path_of(key), error);
        }
        // A bare `until` date includes that whole day, so from: D, until: D is one day.
        if (from && until && *until <= *from)
            ctx.error(map.pos_of("until"), map.path_of("until"),
                      "'" + flag.until + "' is not after from '" + flag.from + "'");
        if (map.has("recurrence"))
            flag.recurrence = parse_recurrence(ctx, map.node("recurrence"), map.path_of("recurrence"));
        out.push_back(std::move(flag));
        ctx.entries.safety_flags.push_back(path);
    }
}

}  // namespace lykta::config
