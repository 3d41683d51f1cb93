// profiles, calendar and holidays: the parts of the schedule, shared by the
// config loader and the schedule/set command (schedule_parser.hpp).
#include <set>

#include "gateway/config/date_parsing.hpp"
#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

// Iterates a map whose keys are names the user chooses (profile names,
// holiday list names): checks each is a valid id and unique.
template <class Fn>
void for_each_named(ParseContext& ctx, const YAML::Node& node, const std::string& path, const char* noun,
                    Fn fn) {
    if (!node.IsMap()) {
        ctx.error(ctx.pos(node), path,
                  std::string("expected a map of ") + noun + " names, got " + describe(node));
        return;
    }
    ctx.record(path, ctx.pos(node));
    std::map<std::string, int> seen;  // name -> line
    for (auto it = node.begin(); it != node.end(); ++it) {
        auto name = read_string(ctx, it->first, path);
        if (!name || !check_id(ctx, *name, ctx.pos(it->first), path)) continue;
        const auto key_pos = ctx.pos(it->first);
        if (auto prev = seen.find(*name); prev != seen.end()) {
            ctx.error(key_pos, path,
                      std::string("duplicate ") + noun + " '" + *name + "' (first at line " +
                          std::to_string(prev->second) + ")");
            continue;
        }
        seen[*name] = key_pos.line;
        ctx.record(path + "." + *name, key_pos);
        fn(*name, it->second, path + "." + *name);
    }
}

std::optional<ProfileStep> parse_step(ParseContext& ctx, const YAML::Node& node, const std::string& path) {
    MapReader map(ctx, node, path, {"at", "level", "fade_s"});
    if (!map.is_map()) return std::nullopt;
    ProfileStep step;
    bool ok = true;
    std::string at;
    if (map.read("at", at, Need::required)) {
        TimeExprError error;
        if (auto t = parse_time_expr(at, &error)) {
            step.at = *t;
        } else {
            ctx.error(map.pos_of("at"), map.path_of("at"),
                      "bad time expression '" + at + "': " + error.message);
            ok = false;
        }
    } else {
        ok = false;
    }
    ok = map.read("level", step.level, 0, 100, Need::required) && ok;
    if (map.has("fade_s")) ok = map.read("fade_s", step.fade_s, 0, 3600) && ok;
    if (!ok) return std::nullopt;
    return step;
}

void parse_steps(ParseContext& ctx, const YAML::Node& node, const std::string& path, Profile& profile) {
    auto items = read_list(ctx, node, path);
    if (node.IsSequence() && items.empty())
        ctx.error(ctx.pos(node), path, "a profile needs at least one step");
    for (std::size_t i = 0; i < items.size(); ++i)
        if (auto step = parse_step(ctx, items[i], path + "[" + std::to_string(i) + "]"))
            profile.steps.push_back(*step);
}

}  // namespace

void parse_profiles(ParseContext& ctx, const YAML::Node& node, std::vector<Profile>& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    for_each_named(
        ctx, node, "profiles", "profile",
        [&](const std::string& name, const YAML::Node& value, const std::string& path) {
            Profile profile;
            profile.name = name;
            if (value.IsMap()) {
                MapReader map(ctx, value, path, {"steps", "floor"});
                double floor = 0;
                if (map.read("floor", floor, 0, 100)) profile.floor = floor;
                if (map.require("steps")) parse_steps(ctx, map.node("steps"), map.path_of("steps"), profile);
            } else if (value.IsSequence()) {
                parse_steps(ctx, value, path, profile);
            } else {
                ctx.error(ctx.pos(value), path,
                          "expected a list of steps or {steps: [...], floor: N}, got " + describe(value));
            }
            out.push_back(std::move(profile));
        });
}

void parse_holidays(ParseContext& ctx, const YAML::Node& node,
                    std::map<std::string, std::vector<DateSpec>>& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    for_each_named(ctx, node, "holidays", "holiday list",
                   [&](const std::string& name, const YAML::Node& value, const std::string& path) {
                       auto items = read_list(ctx, value, path);
                       std::vector<DateSpec> dates;
                       for (std::size_t i = 0; i < items.size(); ++i) {
                           std::string item_path = path + "[" + std::to_string(i) + "]";
                           auto text = read_string(ctx, items[i], item_path);
                           if (!text) continue;
                           std::string error;
                           if (auto d = parse_date_spec(*text, &error))
                               dates.push_back(*d);
                           else
                               ctx.error(ctx.pos(items[i]), item_path,
                                         error + " (holiday lists hold single dates)");
                       }
                       out[name] = std::move(dates);
                   });
}

void parse_calendar(ParseContext& ctx, const YAML::Node& node, std::vector<CalendarRule>& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    auto items = read_list(ctx, node, "calendar");
    for (std::size_t i = 0; i < items.size(); ++i) {
        std::string path = "calendar[" + std::to_string(i) + "]";
        MapReader map(ctx, items[i], path,
                      {"name", "dates", "nth", "holidays", "weekdays", "areas", "profile", "disable"});
        if (!map.is_map()) continue;
        CalendarRule rule;
        map.read("name", rule.name);
        if (rule.name.empty()) rule.name = "rule-" + std::to_string(i + 1);
        map.read("disable", rule.disable);
        // "off" is reserved: the seasonal "no lighting" rule, like `disable: true`.
        const bool profile_off =
            map.has("profile") && map.node("profile").IsScalar() && map.node("profile").Scalar() == "off";
        if (profile_off) {
            rule.disable = true;
        } else if (rule.disable) {
            if (map.has("profile"))
                ctx.error(map.pos_of("profile"), map.path_of("profile"),
                          "a rule with 'disable: true' switches lighting off; it takes no profile");
        } else {
            map.read_id("profile", rule.profile);
        }
        if (map.has("nth")) {
            const auto& nth = map.node("nth");
            const auto items =
                nth.IsScalar() ? std::vector<YAML::Node>{nth} : read_list(ctx, nth, map.path_of("nth"));
            for (std::size_t d = 0; d < items.size(); ++d) {
                const std::string item_path =
                    map.path_of("nth") + (nth.IsScalar() ? "" : "[" + std::to_string(d) + "]");
                auto text = read_string(ctx, items[d], item_path);
                if (!text) continue;
                std::string error;
                if (auto n = parse_nth_weekday(*text, &error))
                    rule.nth.push_back(*n);
                else
                    ctx.error(ctx.pos(items[d]), item_path, error);
            }
        }
        if (map.has("dates")) {
            auto dates = read_list(ctx, map.node("dates"), map.path_of("dates"));
            for (std::size_t d = 0; d < dates.size(); ++d)
                if (auto r =
                        read_date_range(ctx, dates[d], map.path_of("dates") + "[" + std::to_string(d) + "]"))
                    rule.dates.push_back(*r);
        }
        if (map.has("holidays"))
            rule.holidays = read_string_list(ctx, map.node("holidays"), map.path_of("holidays"));
        if (map.has("weekdays"))
            rule.weekdays = read_weekdays(ctx, map.node("weekdays"), map.path_of("weekdays"));
        if (map.has("areas")) rule.areas = read_string_list(ctx, map.node("areas"), map.path_of("areas"));
        out.push_back(std::move(rule));
        ctx.entries.calendar.push_back(path);
    }
}

}  // namespace lykta::config
