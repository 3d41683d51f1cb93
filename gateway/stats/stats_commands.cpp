#include "gateway/stats/stats_commands.hpp"

#include <algorithm>

#include "gateway/core/rfc3339.hpp"
#include "gateway/stats/stats_report.hpp"

namespace lykta::stats {
namespace {

namespace code = api::error_code;

// A lighting day "YYYY-MM-DD", or the lighting day of an RFC 3339 instant
// (both read by gateway/core/rfc3339, as every time argument is).
std::optional<Day> read_day(const nlohmann::json& value, const LightingCalendar& calendar,
                            std::string& error) {
    if (!value.is_string()) return std::nullopt;
    auto text = value.get<std::string>();
    if (text.size() == 10) {
        auto ymd = lykta::parse_full_date(text, &error);
        return ymd ? std::optional<Day>(Day(*ymd)) : std::nullopt;
    }
    if (auto instant = lykta::parse_rfc3339(text, &error)) return calendar.day_of(*instant);
    return std::nullopt;
}

}  // namespace

void handle_report_get(StatsRecorder& recorder, const Clock& clock, const ConfigSource& config,
                       const nlohmann::json& args, api::Responder responder) {
    if (!args.is_object()) return responder.error(code::bad_request, "arguments must be an object");
    ReportQuery query;
    for (const char* name : {"from", "to"}) {
        if (!args.contains(name))
            return responder.error(code::bad_request, std::string(name) + " is required", name);
        std::string error;
        auto day = read_day(args[name], recorder.calendar(), error);
        if (!day)
            return responder.error(code::bad_request,
                                   std::string(name) + " must be a date YYYY-MM-DD or an RFC 3339 time" +
                                       (error.empty() ? "" : ": " + error),
                                   name);
        (std::string_view(name) == "from" ? query.from : query.to) = *day;
    }
    if (query.to < query.from) return responder.error(code::out_of_range, "to is before from", "to");

    if (args.contains("granularity")) {
        const auto& g = args["granularity"];
        if (g == "day")
            query.granularity = Granularity::day;
        else if (g == "month")
            query.granularity = Granularity::month;
        else
            return responder.error(code::bad_request, "granularity must be \"day\" or \"month\"",
                                   "granularity");
    }
    auto days = (query.to - query.from).count() + 1;
    if (query.granularity == Granularity::day && days > max_report_days)
        return responder.error(code::out_of_range,
                               "at most " + std::to_string(max_report_days) + " days per daily report", "to");
    if (days > max_report_months * 31)
        return responder.error(code::out_of_range,
                               "at most " + std::to_string(max_report_months) + " months per report", "to");

    const auto* cfg = config ? config() : nullptr;
    if (args.contains("areas")) {
        const auto& areas = args["areas"];
        if (!areas.is_array())
            return responder.error(code::bad_request, "areas must be an array of area ids", "areas");
        for (std::size_t i = 0; i < areas.size(); ++i) {
            auto field = "areas[" + std::to_string(i) + "]";
            if (!areas[i].is_string())
                return responder.error(code::bad_request, "area ids are strings", field);
            auto id = areas[i].get<std::string>();
            if (cfg && !cfg->find_area(id))
                return responder.error(code::unknown_area, "no area '" + id + "' in the configuration",
                                       field);
            query.areas.push_back(id);
        }
    } else if (cfg) {
        for (const auto& area : cfg->areas) query.areas.push_back(area.id);
    } else {
        query.areas = recorder.store().areas();
    }

    recorder.flush(clock.now());
    auto rows = recorder.store().range(query.from, query.to, query.areas);
    auto report = build_report(rows, query, recorder.calendar().timezone());
    if (cfg) report["gateway"] = {{"id", cfg->gateway.id}, {"name", cfg->gateway.name}};
    responder.ok(std::move(report));
}

api::CommandHandler report_command(StatsRecorder& recorder, const Clock& clock, ConfigSource config) {
    return [&recorder, &clock, config](const nlohmann::json& args, api::Responder responder) {
        handle_report_get(recorder, clock, config, args, std::move(responder));
    };
}

}  // namespace lykta::stats
