// safety_flags: standing flags written in the config (more arrive over MQTT).
#include <date/tz.h>

#include <cctype>

#include "gateway/config/date_parsing.hpp"
#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

int digits(std::string_view s, std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

// "YYYY-MM-DD" (a local date in the site zone) or an RFC 3339 timestamp
// "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)". Returns the instant it
// names; a bare date means the start of that day for `from`, the end of it for
// `until` (so from: D, until: D is the whole of day D).
std::optional<date::sys_seconds> parse_flag_time(std::string_view s, const date::time_zone* zone,
                                                 bool is_until, std::string& error) {
    error = "'" + std::string(s) + "' is not a date (YYYY-MM-DD) or an RFC 3339 timestamp";
    if (s.size() < 10) return std::nullopt;
    std::string date_error;
    auto day = parse_date_spec(s.substr(0, 10), &date_error);
    if (!day || day->year == 0) {
        if (day || s.size() == 10) error = date_error.empty() ? error : date_error;
        return std::nullopt;
    }
    const auto ymd = date::year{day->year} / day->month / day->day;
    const date::local_days local_day{ymd};
    if (s.size() == 10) {
        auto local = date::local_seconds{local_day + date::days{is_until ? 1 : 0}};
        if (!zone) return date::sys_seconds{local.time_since_epoch()};
        return zone->to_sys(local, date::choose::earliest);
    }
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
    int hh = digits(s, 11, 2);
    int mm = digits(s, 14, 2);
    int ss = digits(s, 17, 2);
    if (s.size() < 19 || s[13] != ':' || s[16] != ':' || hh < 0 || mm < 0 || ss < 0) return std::nullopt;
    if (hh > 23 || mm > 59 || ss > 60) {
        error = "'" + std::string(s) + "' has an impossible time of day";
        return std::nullopt;
    }
    std::size_t i = 19;
    if (i < s.size() && s[i] == '.') {
        ++i;
        std::size_t start = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (i == start) return std::nullopt;
    }
    int offset_minutes = 0;
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
        ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int oh = digits(s, i + 1, 2);
        int om = digits(s, i + 4, 2);
        if (i + 6 != s.size() || s[i + 3] != ':' || oh < 0 || om < 0 || oh > 23 || om > 59)
            return std::nullopt;
        offset_minutes = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
        i += 6;
    } else {
        error = "'" + std::string(s) + "' needs a UTC offset (Z or +HH:MM) after the time";
        return std::nullopt;
    }
    if (i != s.size()) return std::nullopt;
    auto local = date::sys_seconds{local_day.time_since_epoch()} + std::chrono::hours{hh} +
                 std::chrono::minutes{mm} + std::chrono::seconds{ss};
    return local - std::chrono::minutes{offset_minutes};
}

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
        std::optional<date::sys_seconds> from;
        std::optional<date::sys_seconds> until;
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
