#include "gateway/policy/requests.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "gateway/config/date_parsing.hpp"
#include "gateway/config/time_expr.hpp"
#include "gateway/policy/calendar.hpp"
#include "gateway/policy/policy_json.hpp"

namespace lykta::policy {
namespace {

constexpr const char* bad_request = "bad_request";
constexpr const char* out_of_range = "out_of_range";
constexpr const char* unknown_area = "unknown_area";
constexpr const char* unknown_luminaire = "unknown_luminaire";

template <class T>
Parsed<T> fail(std::string code, std::string message, std::string field) {
    return {std::nullopt, {std::move(code), std::move(message), std::move(field)}};
}

// Reads an optional string field; false (with `error`) when present but not a string.
bool read_string(const nlohmann::json& args, const char* key, std::string& out, RequestError& error,
                 const std::string& prefix = "") {
    if (!args.contains(key) || args[key].is_null()) return true;
    if (!args[key].is_string()) {
        error = {bad_request, std::string("'") + key + "' must be a string", prefix + key};
        return false;
    }
    out = args[key].get<std::string>();
    return true;
}

std::optional<config::WeekdaySet> weekdays_from(const nlohmann::json& list, RequestError& error) {
    const std::string field = "recurrence.weekdays";
    if (!list.is_array()) {
        error = {bad_request, "weekdays must be a list like [\"fri\", \"sat\"] or [\"mon..fri\"]", field};
        return std::nullopt;
    }
    config::WeekdaySet days{};
    for (const auto& item : list) {
        if (!item.is_string()) {
            error = {bad_request, "a weekday must be a string", field};
            return std::nullopt;
        }
        const auto text = item.get<std::string>();
        const auto dots = text.find("..");
        auto first = config::parse_weekday(text.substr(0, dots));
        auto last = dots == std::string::npos ? first : config::parse_weekday(text.substr(dots + 2));
        if (!first || !last) {
            error = {bad_request, "'" + text + "' is not a weekday (mon..sun) or a range of them", field};
            return std::nullopt;
        }
        for (auto d = static_cast<int>(*first);; d = (d + 1) % 7) {  // ranges may wrap: sat..mon
            days[static_cast<std::size_t>(d)] = true;
            if (d == static_cast<int>(*last)) break;
        }
    }
    return days;
}

std::optional<config::Recurrence> recurrence_from(const nlohmann::json& r, RequestError& error) {
    if (!r.is_object()) {
        error = {bad_request, "recurrence must be {weekdays, from, to}", "recurrence"};
        return std::nullopt;
    }
    config::Recurrence out;
    if (r.contains("weekdays")) {
        auto days = weekdays_from(r["weekdays"], error);
        if (!days) return std::nullopt;
        out.weekdays = *days;
    }
    for (auto [key, field] : {std::pair{"from", &config::Recurrence::from_minutes},
                              std::pair{"to", &config::Recurrence::to_minutes}}) {
        std::optional<int> minutes;
        if (r.contains(key) && r[key].is_string())
            minutes = config::parse_clock_minutes(r[key].get<std::string>());
        if (!minutes) {
            error = {bad_request, std::string("recurrence.") + key + " must be a clock time HH:MM",
                     std::string("recurrence.") + key};
            return std::nullopt;
        }
        out.*field = *minutes;
    }
    return out;
}

std::optional<SystemTime> time_from(const nlohmann::json& args, const char* key, const Place& place,
                                    bool is_until, RequestError& error) {
    std::string text;
    if (!read_string(args, key, text, error) || text.empty()) return std::nullopt;
    std::string message;
    auto t = config::parse_flag_time(text, place.zone, is_until, message);
    if (!t) {
        error = {bad_request, message, key};
        return std::nullopt;
    }
    return SystemTime{*t};
}

}  // namespace

Parsed<SafetyFlag> safety_flag_from_request(const nlohmann::json& args, const config::Config& config,
                                            const Place& place, SystemTime now, const std::string& new_id) {
    if (!args.is_object()) return fail<SafetyFlag>(bad_request, "arguments must be a JSON object", "");
    RequestError error;
    SafetyFlag flag;
    flag.id = new_id;
    flag.origin = "mqtt";
    flag.created = now;
    if (!read_string(args, "id", flag.id, error) || !read_string(args, "area", flag.area, error) ||
        !read_string(args, "reason", flag.reason, error) ||
        !read_string(args, "source", flag.source, error) ||
        !read_string(args, "profile", flag.profile, error))
        return {std::nullopt, error};
    if (flag.area.empty()) return fail<SafetyFlag>(bad_request, "'area' is required", "area");
    const auto* area = config.find_area(flag.area);
    if (!area) return fail<SafetyFlag>(unknown_area, "no area '" + flag.area + "'", "area");
    if (flag.id.empty()) return fail<SafetyFlag>(bad_request, "'id' must not be empty", "id");
    const std::string profile = flag.profile.empty() ? area->safety_profile : flag.profile;
    if (profile.empty())
        return fail<SafetyFlag>(bad_request, "area '" + flag.area + "' has no safety_profile: name a profile",
                                "profile");
    if (!find_profile(config.schedule, profile))
        return fail<SafetyFlag>(bad_request, "no profile '" + profile + "'", "profile");
    flag.from = time_from(args, "from", place, false, error);
    if (!error.code.empty()) return {std::nullopt, error};
    flag.until = time_from(args, "until", place, true, error);
    if (!error.code.empty()) return {std::nullopt, error};
    if (args.contains("recurrence") && !args["recurrence"].is_null()) {
        flag.recurrence = recurrence_from(args["recurrence"], error);
        if (!flag.recurrence) return {std::nullopt, error};
    }
    if (!flag.until && !flag.recurrence)
        return fail<SafetyFlag>(bad_request, "a flag needs 'until' or 'recurrence'", "until");
    if (flag.until && *flag.until <= now)
        return fail<SafetyFlag>(out_of_range, "'until' is in the past", "until");
    if (flag.from && flag.until && *flag.until <= *flag.from)
        return fail<SafetyFlag>(out_of_range, "'until' is not after 'from'", "until");
    return {flag, {}};
}

Parsed<Override> override_from_request(const nlohmann::json& args, Scope scope, const config::Config& config,
                                       const Place& place, SystemTime now, const std::string& new_id) {
    if (!args.is_object()) return fail<Override>(bad_request, "arguments must be a JSON object", "");
    const char* key = scope == Scope::area ? "area" : "luminaire";
    RequestError error;
    Override o;
    o.id = new_id;
    o.scope = scope;
    o.created = now;
    if (!read_string(args, key, o.target, error) || !read_string(args, "reason", o.reason, error))
        return {std::nullopt, error};
    if (o.target.empty()) return fail<Override>(bad_request, std::string("'") + key + "' is required", key);
    if (scope == Scope::area ? config.find_area(o.target) == nullptr
                             : config.find_luminaire(o.target) == nullptr)
        return fail<Override>(scope == Scope::area ? unknown_area : unknown_luminaire,
                              std::string("no ") + key + " '" + o.target + "'", key);
    auto number = [&](const char* name, double low, double high, bool required) -> std::optional<double> {
        if (!args.contains(name) || args[name].is_null()) {
            if (required) error = {bad_request, std::string("'") + name + "' is required", name};
            return std::nullopt;
        }
        if (!args[name].is_number()) {
            error = {bad_request, std::string("'") + name + "' must be a number", name};
            return std::nullopt;
        }
        const double v = args[name].get<double>();
        if (!std::isfinite(v) || v < low || v > high) {
            char range[64];
            std::snprintf(range, sizeof range, " must be %g..%g", low, high);
            error = {out_of_range, std::string("'") + name + "'" + range, name};
            return std::nullopt;
        }
        return v;
    };
    auto level = number("level", 0, 100, true);
    if (!level) return {std::nullopt, error};
    o.level = *level;
    auto fade = number("fade_s", 0, 3600, false);
    if (!error.code.empty()) return {std::nullopt, error};
    o.fade_s = fade.value_or(0);
    auto duration = number("duration_s", 1, 366.0 * 86400, false);
    if (!error.code.empty()) return {std::nullopt, error};
    auto until = time_from(args, "until", place, true, error);
    if (!error.code.empty()) return {std::nullopt, error};
    if (duration && until)
        return fail<Override>(bad_request, "give 'duration_s' or 'until', not both", "until");
    if (duration)
        o.until =
            now + std::chrono::duration_cast<SystemTime::duration>(std::chrono::duration<double>(*duration));
    if (until) {
        if (*until <= now) return fail<Override>(out_of_range, "'until' is in the past", "until");
        o.until = until;
    }
    return {o, {}};
}

Parsed<SafetyFlag> safety_flag_from_request(const nlohmann::json& args, const config::Config& config,
                                            const Place& place, SystemTime now, std::uint64_t serial) {
    const auto area = args.is_object() && args.contains("area") && args["area"].is_string()
                          ? args["area"].get<std::string>()
                          : std::string();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    return safety_flag_from_request(args, config, place, now,
                                    "flag-" + area + "-" + std::to_string(ms) + "-" + std::to_string(serial));
}

Parsed<Override> override_from_request(const nlohmann::json& args, Scope scope, const config::Config& config,
                                       const Place& place, SystemTime now) {
    const char* key = scope == Scope::luminaire ? "luminaire" : "area";
    const auto target = args.is_object() && args.contains(key) && args[key].is_string()
                            ? args[key].get<std::string>()
                            : std::string();
    return override_from_request(args, scope, config, place, now,
                                 std::string("override-") + key + "-" + target);
}

Parsed<Named> named_from_request(const nlohmann::json& args, const config::Config& config) {
    const bool has_l = args.contains("luminaire"), has_a = args.contains("area");
    if (has_l == has_a)
        return fail<Named>(bad_request, "give exactly one of 'luminaire' or 'area'",
                           has_l ? "area" : "luminaire");
    const char* key = has_l ? "luminaire" : "area";
    if (!args[key].is_string())
        return fail<Named>(bad_request, std::string("'") + key + "' must be a string", key);
    Named named{has_l ? Scope::luminaire : Scope::area, args[key].get<std::string>()};
    if (has_l && !config.find_luminaire(named.id))
        return fail<Named>(unknown_luminaire, "no luminaire '" + named.id + "' in the config", key);
    if (!has_l && !config.find_area(named.id))
        return fail<Named>(unknown_area, "no area '" + named.id + "' in the config", key);
    return {named, {}};
}

Parsed<ExplainRequest> explain_from_request(const nlohmann::json& args, const config::Config& config,
                                            const Place& place, SystemTime now) {
    auto named = named_from_request(args, config);
    if (!named.ok()) return {std::nullopt, named.error};
    ExplainRequest out{*named.value, now};
    if (args.contains("at")) {
        if (!args["at"].is_string())
            return fail<ExplainRequest>(bad_request, "'at' must be a time string", "at");
        std::string error;
        auto t = config::parse_flag_time(args["at"].get<std::string>(), place.zone, false, error);
        if (!t) return fail<ExplainRequest>(bad_request, error, "at");
        out.at = SystemTime{*t};
    }
    return {out, {}};
}

Parsed<std::string> area_filter_from_request(const nlohmann::json& args, const config::Config& config) {
    if (!args.contains("area")) return {std::string(), {}};
    if (!args["area"].is_string()) return fail<std::string>(bad_request, "'area' must be a string", "area");
    auto area = args["area"].get<std::string>();
    if (!config.find_area(area)) return fail<std::string>(unknown_area, "no area '" + area + "'", "area");
    return {area, {}};
}

Parsed<SafetyClear> safety_clear_from_request(const nlohmann::json& args, const config::Config& config) {
    if (!args.contains("area") || !args["area"].is_string())
        return fail<SafetyClear>(bad_request, "'area' (an area id) is required", "area");
    SafetyClear out{args["area"].get<std::string>(), {}};
    if (!config.find_area(out.area))
        return fail<SafetyClear>(unknown_area, "no area '" + out.area + "'", "area");
    if (args.contains("flag")) {
        if (!args["flag"].is_string())
            return fail<SafetyClear>(bad_request, "'flag' must be a string", "flag");
        out.flag = args["flag"].get<std::string>();
    }
    return {out, {}};
}

Parsed<Maintenance> identify_from_request(const nlohmann::json& args, const config::Config& config,
                                          SystemTime now) {
    if (!args.contains("luminaire") || !args["luminaire"].is_string())
        return fail<Maintenance>(bad_request, "'luminaire' (a luminaire id) is required", "luminaire");
    const auto id = args["luminaire"].get<std::string>();
    if (!config.find_luminaire(id))
        return fail<Maintenance>(unknown_luminaire, "no luminaire '" + id + "'", "luminaire");
    double seconds = 30;
    if (args.contains("seconds")) {
        if (!args["seconds"].is_number())
            return fail<Maintenance>(bad_request, "'seconds' must be a number", "seconds");
        seconds = args["seconds"].get<double>();
        if (!(seconds >= 1 && seconds <= 600))
            return fail<Maintenance>(out_of_range, "'seconds' must be 1..600", "seconds");
    }
    Maintenance m;
    m.id = "identify-" + id;
    m.kind = Maintenance::Kind::identify;
    m.scope = Scope::luminaire;
    m.target = id;
    m.level = 100;
    m.until = now + std::chrono::duration_cast<SystemTime::duration>(std::chrono::duration<double>(seconds));
    m.created = now;
    m.reason = "identify for crews on site";
    return {m, {}};
}

Parsed<ScheduleEdit> schedule_edit_from_request(const nlohmann::json& args) {
    if (!args.contains("revision") || !args["revision"].is_number_integer())
        return fail<ScheduleEdit>(bad_request, "'revision' (the revision you edited) is required",
                                  "revision");
    ScheduleEdit out;
    out.revision = args["revision"].get<std::int64_t>();
    for (const char* key : {"profiles", "calendar", "holidays"})
        if (args.contains(key)) out.sections[key] = args[key];
    return {out, {}};
}

nlohmann::json to_json(const SafetyFlag& f, const Place& place) {
    auto instant = [&](const std::optional<SystemTime>& t) {
        return t ? nlohmann::json(rfc3339_local(*t, place)) : nlohmann::json(nullptr);
    };
    nlohmann::json recurrence = nullptr;
    if (f.recurrence) {
        static constexpr const char* names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
        nlohmann::json days = nlohmann::json::array();
        for (std::size_t i = 0; i < 7; ++i)
            if (f.recurrence->weekdays[i]) days.push_back(names[i]);
        recurrence = {
            {"weekdays", days},
            {"from", config::TimeExpr{config::TimeExpr::Base::clock, f.recurrence->from_minutes}.to_string()},
            {"to", config::TimeExpr{config::TimeExpr::Base::clock, f.recurrence->to_minutes}.to_string()}};
    }
    return {{"id", f.id},
            {"area", f.area},
            {"source", f.source},
            {"reason", f.reason},
            {"from", instant(f.from)},
            {"until", instant(f.until)},
            {"recurrence", recurrence},
            {"profile", f.profile.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.profile)},
            {"origin", f.origin},
            {"created", instant(f.created)}};
}

nlohmann::json to_json(const Override& o, const Place& place) {
    return {{"id", o.id},
            {"scope", o.scope == Scope::area ? "area" : "luminaire"},
            {"target", o.target},
            {"level", o.level},
            {"fade_s", o.fade_s},
            {"until", o.until ? nlohmann::json(rfc3339_local(*o.until, place)) : nlohmann::json(nullptr)},
            {"created", rfc3339_local(o.created, place)},
            {"reason", o.reason}};
}

nlohmann::json safety_event(const SafetyTransition& t, const SafetyFlag* flag, const Place& place) {
    nlohmann::json event = {{"type", t.started ? "safety.started" : "safety.ended"},
                            {"ts", rfc3339_local(t.at, place)},
                            {"flag", t.flag_id},
                            {"area", t.area},
                            {"removed", t.flag_removed}};
    if (flag) {
        event["source"] = flag->source;
        event["reason"] = flag->reason;
    }
    return event;
}

nlohmann::json override_expired_event(const Override& o, const Place& place) {
    return {{"type", "override.expired"},
            {"ts", o.until ? nlohmann::json(rfc3339_local(*o.until, place)) : nlohmann::json(nullptr)},
            {"override", o.id},
            {"scope", o.scope == Scope::area ? "area" : "luminaire"},
            {"target", o.target},
            {"level", o.level}};
}

}  // namespace lykta::policy
