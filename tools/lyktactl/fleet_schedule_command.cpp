// `lyktactl fleet schedule apply schedules.yaml [--gateways PATTERN] [--dry-run]`:
// the same profiles/calendar/holidays change on many gateways with
// schedule/set, each against the revision it was read at; a gateway whose
// schedule changed meanwhile answers `conflict` and is reported, not overwritten.
#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <iostream>
#include <memory>
#include <regex>

#include "fleet_command.hpp"
#include "fleet_snapshot.hpp"
#include "requester.hpp"
#include "transport_errors.hpp"

namespace lykta::ctl {
namespace {

struct ScheduleOptions {
    std::string file;
    std::string gateways = "*";
    bool dry_run = false;
};

std::string where(const std::string& path, const YAML::Node& node) {
    return path + ":" + std::to_string(node.Mark().line + 1) + ":" + std::to_string(node.Mark().column + 1);
}

// YAML as the config reads it: plain scalars that look like numbers or booleans
// are those, quoted ones stay text.
nlohmann::json to_json(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map: {
            nlohmann::json out = nlohmann::json::object();
            for (const auto& e : node) out[e.first.as<std::string>()] = to_json(e.second);
            return out;
        }
        case YAML::NodeType::Sequence: {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& e : node) out.push_back(to_json(e));
            return out;
        }
        case YAML::NodeType::Scalar: {
            const auto& s = node.Scalar();
            if (node.Tag() == "!") return s;  // quoted
            static const std::regex integer(R"([-+]?\d+)"),
                real(R"([-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?)");
            if (std::regex_match(s, integer)) return std::stoll(s);
            if (std::regex_match(s, real)) return std::stod(s);
            if (s == "true" || s == "false") return s == "true";
            if (s == "null" || s == "~") return nullptr;
            return s;
        }
        default:
            return nullptr;
    }
}

// The sections to set, in schedule/get's shape (a profile given as a list of steps is {"steps": [...]}).
nlohmann::json read_sections(const std::string& path, std::vector<std::string>& problems) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
        problems.push_back(path + ": cannot be read");
        return nullptr;
    } catch (const YAML::ParserException& e) {
        problems.push_back(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                           std::to_string(e.mark.column + 1) + ": " + e.msg);
        return nullptr;
    }
    nlohmann::json out = nlohmann::json::object();
    if (!root.IsMap()) {
        problems.push_back(path + ":1:1: expected a mapping with profiles, calendar and/or holidays");
        return out;
    }
    for (const auto& e : root) {
        const auto key = e.first.as<std::string>();
        const bool map_section = key == "profiles" || key == "holidays";
        if (!map_section && key != "calendar") {
            problems.push_back(where(path, e.first) + ": unknown section '" + key +
                               "' (profiles, calendar, holidays: the sections schedule/set takes)");
            continue;
        }
        if (map_section ? !e.second.IsMap() : !e.second.IsSequence()) {
            problems.push_back(where(path, e.second) + ": '" + key + "' must be a " +
                               (map_section ? "mapping" : "list"));
            continue;
        }
        out[key] = to_json(e.second);
    }
    if (out.contains("profiles"))
        for (auto& [name, profile] : out["profiles"].items())
            if (profile.is_array()) profile = nlohmann::json{{"steps", profile}};
    if (out.empty() && problems.empty()) problems.push_back(path + ":1:1: nothing to set");
    return out;
}

// "profiles: centrum changed, natt added" for one section; empty when equal.
std::string section_diff(const std::string& key, const nlohmann::json& current,
                         const nlohmann::json& wanted) {
    if (current == wanted) return "";
    if (!current.is_object() || !wanted.is_object()) return key + " replaced";
    std::string out;
    for (const auto& [name, value] : wanted.items()) {
        if (!current.contains(name))
            out += (out.empty() ? "" : ", ") + name + " added";
        else if (current[name] != value)
            out += (out.empty() ? "" : ", ") + name + " changed";
    }
    for (const auto& [name, value] : current.items())
        if (!wanted.contains(name)) out += (out.empty() ? "" : ", ") + name + " removed";
    return key + ": " + out;
}

int run(const GatewayTarget& target, const ScheduleOptions& options) {
    std::vector<std::string> problems;
    const auto wanted = read_sections(options.file, problems);
    for (const auto& p : problems) std::cerr << p << "\n";
    if (!problems.empty()) return exit_usage;
    auto session = connect_fleet(target);
    const auto fleet = read_fleet(*session, std::chrono::milliseconds(0), target.timeout);
    std::vector<std::string> chosen;
    std::map<std::string, std::string> result;  // gateway -> what happened (or why not)
    int failures = 0;
    for (const auto& [id, g] : fleet.gateways) {
        if (::fnmatch(options.gateways.c_str(), id.c_str(), 0) != 0) continue;
        const auto presence = presence_of(g, std::chrono::milliseconds(0));
        if (presence.state == "online")
            chosen.push_back(id);
        else
            result[id] = "NOT APPLIED, " + presence.state + " (" + presence.detail + ")", ++failures;
    }
    Requester requester(*session);
    std::vector<GatewayRequest> gets;
    for (const auto& id : chosen) gets.push_back({id, "schedule/get"});
    auto current = requester.ask(gets, fleet_concurrency, target.timeout);
    std::vector<GatewayRequest> sets;
    for (std::size_t i = 0; i < gets.size(); ++i) {
        const auto& id = gets[i].gateway;
        // The Requester hands over only well-formed envelopes (checked_envelope).
        const bool answered_ok = current[i] && (*current[i])["status"] == "ok";
        if (!answered_ok || !(*current[i])["data"].contains("revision") ||
            !(*current[i])["data"]["revision"].is_number_integer()) {
            result[id] = "NOT APPLIED, schedule/get: " +
                         (!current[i]   ? std::string("did not answer")
                          : answered_ok ? "gateway " + id + ": the answer has no integer `revision`"
                                        : (*current[i])["error"]["message"].get<std::string>());
            ++failures;
            continue;
        }
        const auto& data = (*current[i])["data"];
        std::string diff;
        for (const auto& [key, value] : wanted.items())
            if (auto d = section_diff(key, data.value(key, nlohmann::json()), value); !d.empty())
                diff += (diff.empty() ? "" : "; ") + d;
        std::cout << id << " (revision " << data.value("revision", 0)
                  << "): " << (diff.empty() ? "no change" : diff) << "\n";
        if (diff.empty()) {
            result[id] = "no change";
            continue;
        }
        auto args = wanted;
        args["revision"] = data.value("revision", 0);
        sets.push_back({id, "schedule/set", args});
    }
    if (options.dry_run) {
        for (const auto& s : sets) result[s.gateway] = "would apply (--dry-run)";
    } else {
        auto answers = requester.ask(sets, fleet_concurrency, target.timeout);
        for (std::size_t i = 0; i < sets.size(); ++i) {
            const auto& a = answers[i];
            if (a && (*a)["status"] == "ok") {
                result[sets[i].gateway] =
                    "applied, revision " + (*a)["data"].value("revision", nlohmann::json()).dump();
                continue;
            }
            ++failures;
            const auto code = a ? (*a)["error"]["code"].get<std::string>() : std::string();
            result[sets[i].gateway] = !a                   ? "NOT APPLIED, did not answer; run again"
                                      : code == "conflict" ? "CONFLICT, its schedule changed meanwhile (" +
                                                                 (*a)["error"]["message"].get<std::string>() +
                                                                 "); not overwritten: review and run again"
                                                           : "NOT APPLIED, " + code + ": " +
                                                                 (*a)["error"]["message"].get<std::string>();
        }
    }
    std::cout << "\n";
    for (const auto& [id, text] : result) std::cout << id << ": " << text << "\n";
    std::cerr << result.size() << " gateway(s) matching '" << options.gateways << "', " << failures
              << " not applied\n";
    return failures ? exit_failed : exit_ok;
}

}  // namespace

void add_fleet_schedule(CLI::App& fleet, const GatewayTarget& target, int& exit_code) {
    auto* schedule = fleet.add_subcommand("schedule", "Schedules for many gateways");
    schedule->require_subcommand(1);
    auto options = std::make_shared<ScheduleOptions>();
    auto* apply =
        schedule->add_subcommand("apply", "Set profiles/calendar/holidays from a file with schedule/set");
    apply
        ->add_option("file", options->file,
                     "schedules.yaml: profiles, calendar and/or holidays as in the config")
        ->required();
    apply
        ->add_option("--gateways", options->gateways,
                     "Only gateways whose id matches this pattern (shell glob)")
        ->capture_default_str();
    apply->add_flag("--dry-run", options->dry_run, "Show the diff per gateway, change nothing");
    apply->callback([&target, &exit_code, options] { exit_code = run(target, *options); });
}

}  // namespace lykta::ctl
