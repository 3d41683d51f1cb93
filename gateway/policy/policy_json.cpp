#include "gateway/policy/policy_json.hpp"
#include "gateway/core/rfc3339.hpp"

namespace lykta::policy {
namespace {

nlohmann::json instant(std::optional<SystemTime> t, const Place& place) {
    if (!t) return nullptr;
    return rfc3339_local(*t, place);
}

nlohmann::json sun(const SolarEvent& e, const Place& place) {
    if (e.occurs()) return instant(e.time, place);
    return {{"occurs", false},
            {"sun", e.kind == SolarEvent::Kind::sun_always_above ? "always_above" : "always_below"}};
}

nlohmann::json optional_level(const std::optional<double>& level) {
    if (!level) return nullptr;
    return *level;
}

}  // namespace

std::string rfc3339_local(SystemTime t, const Place& place) {
    return date::format("%FT%T%Ez", date::make_zoned(place.zone, date::floor<std::chrono::seconds>(t)));
}

nlohmann::json to_json(const Decision& d, const Place& place) {
    nlohmann::json stack = nlohmann::json::array();
    for (const auto& layer : d.stack)
        stack.push_back({{"source", to_string(layer.source)},
                         {"applied", layer.applied},
                         {"active", layer.active},
                         {"id", layer.id},
                         {"level", optional_level(layer.level)},
                         {"detail", layer.detail}});
    return {{"luminaire", d.luminaire.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.luminaire)},
            {"area", d.area},
            {"level", d.level},
            {"fade_s", d.fade_s},
            {"reason", to_json(d.reason, place)},
            {"stack", stack}};
}

nlohmann::json to_json(const Reason& r, const Place& place) {
    return {{"source", to_string(r.source)},
            {"id", r.id},
            {"detail", r.detail},
            {"until", instant(r.until, place)}};
}

nlohmann::json to_json(const AreaPlan& plan, const Place& place) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& s : plan.steps)
        steps.push_back({{"time", place.local_clock(s.at)},
                         {"at", instant(s.at, place)},
                         {"level", s.level},
                         {"fade_s", s.fade_s},
                         {"step", s.step_index + 1},
                         {"expr", s.expr.to_string()},
                         {"note", s.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.note)}});
    nlohmann::json flags = nlohmann::json::array();
    for (const auto& f : plan.flags)
        flags.push_back({{"id", f.id},
                         {"source", f.source},
                         {"reason", f.reason},
                         {"profile", f.profile},
                         {"start", instant(f.start, place)},
                         {"end", instant(f.end, place)}});
    nlohmann::json timeline = nlohmann::json::array();
    for (const auto& e : plan.timeline)
        timeline.push_back({{"time", place.local_clock(e.at)},
                            {"at", instant(e.at, place)},
                            {"level", e.level},
                            {"fade_s", e.fade_s},
                            {"source", to_string(e.source)},
                            {"id", e.id},
                            {"detail", e.detail}});
    return {
        {"area", plan.area},
        {"night", date::format("%F", plan.night)},
        {"timezone", place.zone->name()},
        {"start", instant(plan.start, place)},
        {"end", instant(plan.end, place)},
        {"profile", plan.choice.profile_name},
        {"profile_defined", plan.choice.profile != nullptr},
        {"rule", plan.choice.from_calendar() ? nlohmann::json(plan.choice.rule) : nlohmann::json(nullptr)},
        {"disabled", plan.choice.disabled},
        {"sun",
         {{"sunset", sun(plan.sunset, place)},
          {"civil_dusk", sun(plan.civil_dusk, place)},
          {"civil_dawn", sun(plan.civil_dawn, place)},
          {"sunrise", sun(plan.sunrise, place)}}},
        {"steps", steps},
        {"flags", flags},
        {"timeline", timeline}};
}

}  // namespace lykta::policy
