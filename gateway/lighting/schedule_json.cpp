#include "gateway/lighting/schedule_json.hpp"

#include <cstdio>
#include <map>

namespace lykta::lighting {
namespace {

constexpr const char* weekday_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string date_text(const config::DateSpec& d) {
    char buf[16];
    if (d.year)
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    else
        std::snprintf(buf, sizeof buf, "%02d-%02d", d.month, d.day);
    return buf;
}

std::string range_text(const config::DateRange& r) {
    if (r.first == r.last) return date_text(r.first);
    return date_text(r.first) + ".." + date_text(r.last);
}

// Line of the indented dump (indent 1) -> key path of what starts on it. Mirrors
// nlohmann's layout: one member or element per line, closing brackets on their own.
void map_lines(const nlohmann::json& j, const std::string& path, int& line, std::map<int, std::string>& out) {
    if ((!j.is_object() && !j.is_array()) || j.empty()) return;
    int index = 0;
    for (auto it = j.begin(); it != j.end(); ++it, ++index) {
        ++line;
        const std::string key = j.is_object() ? it.key() : std::to_string(index);
        out[line] = path + key;
        map_lines(*it, path + key + ".", line, out);
    }
    ++line;
}

}  // namespace

nlohmann::json schedule_json(const config::Config& config) {
    const auto& s = config.schedule;
    nlohmann::json profiles = nlohmann::json::object();
    for (const auto& p : s.profiles) {
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& step : p.steps) {
            nlohmann::json j{{"at", step.at.to_string()}, {"level", step.level}};
            if (step.fade_s > 0) j["fade_s"] = step.fade_s;
            steps.push_back(std::move(j));
        }
        nlohmann::json profile{{"steps", std::move(steps)}};
        if (p.floor) profile["floor"] = *p.floor;
        profiles[p.name] = std::move(profile);
    }
    nlohmann::json calendar = nlohmann::json::array();
    for (const auto& r : s.calendar) {
        nlohmann::json rule{{"name", r.name}, {"profile", r.profile}};
        if (!r.dates.empty()) {
            rule["dates"] = nlohmann::json::array();
            for (const auto& d : r.dates) rule["dates"].push_back(range_text(d));
        }
        if (!r.holidays.empty()) rule["holidays"] = r.holidays;
        if (r.weekdays) {
            rule["weekdays"] = nlohmann::json::array();
            for (std::size_t i = 0; i < 7; ++i)
                if ((*r.weekdays)[i]) rule["weekdays"].push_back(weekday_names[i]);
        }
        if (!r.areas.empty()) rule["areas"] = r.areas;
        calendar.push_back(std::move(rule));
    }
    nlohmann::json holidays = nlohmann::json::object();
    for (const auto& [name, dates] : s.holidays) {
        holidays[name] = nlohmann::json::array();
        for (const auto& d : dates) holidays[name].push_back(date_text(d));
    }
    nlohmann::json areas = nlohmann::json::object();
    for (const auto& a : config.areas)
        areas[a.id] = {{"profile", a.profile},
                       {"safety_profile", a.safety_profile.empty() ? nlohmann::json(nullptr)
                                                                   : nlohmann::json(a.safety_profile)}};
    return {{"profiles", profiles}, {"calendar", calendar}, {"holidays", holidays}, {"areas", areas}};
}

ScheduleProblem schedule_problem(const Diagnostics& diagnostics, const std::string& text) {
    ScheduleProblem p{"bad_request", "invalid schedule", ""};
    if (diagnostics.empty()) return p;
    const auto& d = diagnostics.front();
    p.message = d.message;
    if (d.message.find("range") != std::string::npos || d.message.find("between") != std::string::npos ||
        d.message.find("0..100") != std::string::npos)
        p.code = "out_of_range";
    std::map<int, std::string> lines;
    int line = 1;
    map_lines(nlohmann::json::parse(text, nullptr, false), "", line, lines);
    if (auto it = lines.upper_bound(d.pos.line); it != lines.begin()) p.field = std::prev(it)->second;
    if (diagnostics.size() > 1) p.message += " (and " + std::to_string(diagnostics.size() - 1) + " more)";
    return p;
}

}  // namespace lykta::lighting
