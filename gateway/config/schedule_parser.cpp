#include "gateway/config/schedule_parser.hpp"

#include <algorithm>
#include <filesystem>

#include "gateway/config/cross_references.hpp"
#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_document.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

// Profiles named outside the schedule (areas, standing flags) must survive a
// replacement of the schedule; reported at the `profiles` key.
void check_profiles_still_defined(ParseContext& ctx, const Schedule& schedule, const Config& config,
                                  const SourcePos& pos) {
    auto defined = [&](const std::string& name) {
        return name.empty() || std::any_of(schedule.profiles.begin(), schedule.profiles.end(),
                                           [&](const Profile& p) { return p.name == name; });
    };
    for (const Area& a : config.areas) {
        for (const std::string* name : {&a.profile, &a.safety_profile})
            if (!defined(*name))
                ctx.error(pos, "profiles",
                          "profile '" + *name + "' is missing but area '" + a.id + "' uses it");
    }
    for (const SafetyFlag& f : config.safety_flags)
        if (!defined(f.profile))
            ctx.error(pos, "profiles",
                      "profile '" + f.profile + "' is missing but safety flag '" + f.id + "' uses it");
}

}  // namespace

ScheduleResult parse_schedule(const std::string& text, const Config& config, const std::string& name) {
    ParseContext ctx(name, std::filesystem::path{});
    ScheduleResult result;
    auto root = parse_yaml_document(ctx, text);
    if (!root) {
        result.diagnostics = ctx.take_diagnostics();
        return result;
    }
    MapReader top(ctx, *root, "", {"profiles", "calendar", "holidays"});
    if (!top.is_map()) {
        result.diagnostics = ctx.take_diagnostics();
        return result;
    }
    Schedule schedule;
    if (top.require("profiles")) {
        parse_profiles(ctx, top.node("profiles"), schedule.profiles);
        check_profiles_still_defined(ctx, schedule, config, top.pos_of("profiles"));
    }
    parse_holidays(ctx, top.node("holidays"), schedule.holidays);
    parse_calendar(ctx, top.node("calendar"), schedule.calendar);
    check_calendar_references(ctx, schedule, config.areas);
    result.diagnostics = ctx.take_diagnostics();
    if (result.diagnostics.empty()) result.schedule = std::move(schedule);
    return result;
}

}  // namespace lykta::config
