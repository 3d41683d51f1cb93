// `lyktactl fleet safety plan|apply focus-areas.yaml`: the yearly safety
// decision applied to every gateway in one step (docs/operations.md, "Focus areas").
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "fleet_command.hpp"
#include "fleet_snapshot.hpp"
#include "focus_plan.hpp"
#include "json_fields.hpp"
#include "requester.hpp"
#include "transport_errors.hpp"

namespace lykta::ctl {
namespace {

struct SafetyOptions {
    std::string file;
    bool json = false;
};

struct GatewayState {
    std::string id;
    std::string skipped;  // why nothing is planned: "offline (connection-lost)", "did not answer", ...
    GatewayPlan plan;
    std::vector<std::string> done;  // apply: what happened
    std::string failed;             // apply: the first error
    std::string rolled_back;        // apply: what undoing this run's sets gave, when a set failed
};

std::string error_text(const std::optional<nlohmann::json>& answer) {
    if (!answer) return "did not answer";
    // The Requester hands over only well-formed envelopes (checked_envelope).
    const auto& e = (*answer)["error"];
    return e["code"].get<std::string>() + ": " + e["message"].get<std::string>();
}

bool ok(const std::optional<nlohmann::json>& answer) {
    return answer && (*answer)["status"] == "ok";
}

// Reads the fleet and plans every gateway: the ones the file names and every
// other one that may carry this file's flags from an earlier version.
std::vector<GatewayState> plan_fleet(const GatewayTarget& target, BrokerSession& session,
                                     const FocusAreasFile& file, std::vector<std::string>& problems) {
    const auto fleet = read_fleet(session, std::chrono::milliseconds(0), target.timeout);
    std::map<std::string, const FocusCoverage*> named;  // gateway -> first mention
    for (const auto& focus : file.areas)
        for (const auto& c : focus.covers) named.emplace(c.gateway, &c);
    for (const auto& [gateway, c] : named)
        if (!fleet.gateways.count(gateway))
            problems.push_back(c->gateway_where + ": unknown gateway '" + gateway + "' (no gateway under " +
                               session.options().prefix + "/ on the broker)");

    std::vector<GatewayState> states;
    std::vector<GatewayRequest> requests;
    for (const auto& [id, g] : fleet.gateways) {
        GatewayState s{id, "", {}, {}, "", ""};
        const auto presence = presence_of(g, std::chrono::milliseconds(0));
        if (presence.state != "online")
            s.skipped = presence.state + " (" + presence.detail + ")";
        else {
            requests.push_back({id, "area/safety/list", nlohmann::json::object()});
            if (named.count(id)) requests.push_back({id, "schedule/get", nlohmann::json::object()});
        }
        states.push_back(std::move(s));
    }
    Requester requester(session);
    auto answers = requester.ask(requests, fleet_concurrency, target.timeout);
    std::map<std::string, nlohmann::json> flags, schedules;
    std::map<std::string, std::string> unanswered;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (!ok(answers[i])) {
            unanswered.emplace(requests[i].gateway, requests[i].command + ": " + error_text(answers[i]));
            continue;
        }
        (requests[i].command == "schedule/get" ? schedules : flags)[requests[i].gateway] =
            (*answers[i])["data"];
    }
    for (auto& s : states) {
        if (!s.skipped.empty()) continue;
        if (auto u = unanswered.find(s.id); u != unanswered.end()) {
            s.skipped = u->second;
            continue;
        }
        const auto wanted = wanted_flags(file, s.id);
        if (named.count(s.id)) {
            const auto& schedule = schedules[s.id];
            const auto areas = object_field(schedule, "areas");
            const auto profiles = object_field(schedule, "profiles");
            for (const auto& focus : file.areas)
                for (const auto& c : focus.covers) {
                    if (c.gateway != s.id) continue;
                    if (!areas.contains(c.area)) {
                        std::string known;
                        for (const auto& [a, _] : areas.items()) known += (known.empty() ? "" : ", ") + a;
                        problems.push_back(c.where + ": gateway " + s.id + " has no area '" + c.area +
                                           "' (its areas: " + known + ")");
                    }
                    if (focus.flag.contains("profile") &&
                        !profiles.contains(focus.flag["profile"].get<std::string>()))
                        problems.push_back(c.where + ": gateway " + s.id + " has no profile '" +
                                           focus.flag["profile"].get<std::string>() + "'");
                }
        }
        s.plan = plan_gateway(file.name, wanted, array_field(flags[s.id], "flags"));
    }
    // Only the gateways that matter: named ones, and others with something to end.
    std::erase_if(states, [&](const GatewayState& s) { return !named.count(s.id) && s.plan.empty(); });
    return states;
}

std::string flag_text(const nlohmann::json& args) {
    std::string out = args.value("area", "") + " [" + args.value("id", "") + "]";
    if (args.contains("from") || args.contains("until"))
        out += " " + (args.contains("from") ? args["from"].get<std::string>() : std::string("…")) + " to " +
               (args.contains("until") && args["until"].is_string() ? args["until"].get<std::string>()
                                                                    : std::string("…"));
    if (args.contains("recurrence") && args["recurrence"].is_object()) {
        const auto& r = args["recurrence"];
        std::string days;
        for (const auto& d : r.value("weekdays", nlohmann::json::array()))
            days += (days.empty() ? "" : ",") + d.get<std::string>();
        out += ", " + days + " " + r.value("from", "") + "-" + r.value("to", "");
    }
    return out;
}

void print_plan(const std::vector<GatewayState>& states) {
    for (const auto& s : states) {
        std::cout << s.id << ":";
        if (!s.skipped.empty()) {
            std::cout << " NOT PLANNED, " << s.skipped << "\n";
            continue;
        }
        if (s.plan.empty()) {
            std::cout << " no change (" << s.plan.kept.size() << " flag(s) already as the file says)\n";
            continue;
        }
        std::cout << "\n";
        for (const auto& w : s.plan.add) std::cout << "  add     " << flag_text(w.args) << "\n";
        for (const auto& [old, w] : s.plan.change)
            std::cout << "  change  " << flag_text(w.args) << " (replaces " << old.value("id", "") << ")\n";
        for (const auto& f : s.plan.end)
            std::cout << "  end     " << f.value("area", "") << " [" << f.value("id", "") << "]\n";
        if (!s.plan.kept.empty()) std::cout << "  keep    " << s.plan.kept.size() << " flag(s) unchanged\n";
    }
}

nlohmann::json states_json(const std::vector<GatewayState>& states) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : states) {
        nlohmann::json g{
            {"gateway", s.id},
            {"skipped", s.skipped.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.skipped)}};
        g["add"] = nlohmann::json::array();
        for (const auto& w : s.plan.add) g["add"].push_back(w.args);
        g["change"] = nlohmann::json::array();
        for (const auto& [old, w] : s.plan.change) g["change"].push_back({{"old", old}, {"new", w.args}});
        g["end"] = s.plan.end;
        g["kept"] = s.plan.kept.size();
        if (!s.done.empty() || !s.failed.empty()) {
            g["done"] = s.done;
            g["failed"] = s.failed.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.failed);
            g["rolled_back"] =
                s.rolled_back.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.rolled_back);
        }
        out.push_back(std::move(g));
    }
    return out;
}

// Nothing is half-applied on a gateway (issue 18): when one of its sets failed,
// the sets of this run that it accepted are cleared again and none of its ends
// is sent, so it keeps exactly the flags it had. Every set carries a new flag id
// (file version and a digest of the flag are part of it, focus_plan.cpp; a flag
// already as the file says is kept, not sent), so a set never replaced an
// existing definition and clearing it restores the gateway's previous state.
void roll_back(const GatewayTarget& target, Requester& requester, std::vector<GatewayState>& states,
               const std::vector<GatewayRequest>& sets, const std::vector<std::size_t>& owner,
               const std::vector<std::size_t>& succeeded, const std::vector<std::size_t>& unanswered) {
    std::vector<GatewayRequest> undo;
    std::vector<std::size_t> undo_owner;
    std::vector<bool> surely_set;  // accepted; else unanswered, perhaps never set
    for (const auto& [list, accepted] : {std::pair{&succeeded, true}, std::pair{&unanswered, false}})
        for (const auto k : *list)
            if (!states[owner[k]].failed.empty()) {
                undo.push_back({sets[k].gateway,
                                "area/safety/clear",
                                {{"area", sets[k].args["area"]}, {"flag", sets[k].args["id"]}}});
                undo_owner.push_back(owner[k]);
                surely_set.push_back(accepted);
            }
    const auto answers = requester.ask(undo, fleet_concurrency, target.timeout);
    std::map<std::size_t, std::vector<std::string>> left;  // state -> flags that could not be cleared
    for (std::size_t k = 0; k < undo.size(); ++k) {
        auto& s = states[undo_owner[k]];
        s.rolled_back = "rolled back";
        if (ok(answers[k]))
            s.done.push_back("cleared " + undo[k].args["area"].get<std::string>() + " [" +
                             undo[k].args["flag"].get<std::string>() + "] (rollback)");
        // An unanswered set that the gateway never got has nothing to clear: its error answer is fine.
        if (!ok(answers[k]) && (surely_set[k] || !answers[k]))
            left[undo_owner[k]].push_back(undo[k].args["flag"].get<std::string>() + " (" +
                                          error_text(answers[k]) + ")");
    }
    for (auto& s : states)
        if (!s.failed.empty() && s.rolled_back.empty() && s.skipped.empty())
            s.rolled_back = "rolled back";  // nothing of this run had been accepted
    for (const auto& [i, flags] : left) {
        std::string text = "rollback INCOMPLETE, still set:";
        for (const auto& f : flags) text += " " + f;
        states[i].rolled_back = text + "; run apply again";
    }
}

// Sets first, ends after: a gateway never loses a flag before its
// replacement is in place, and a run that stops half-way is finished by the next.
void apply(const GatewayTarget& target, BrokerSession& session, std::vector<GatewayState>& states) {
    Requester requester(session);
    std::vector<GatewayRequest> sets;
    std::vector<std::size_t> owner;
    for (std::size_t i = 0; i < states.size(); ++i) {
        const auto& s = states[i];
        if (!s.skipped.empty()) continue;
        for (const auto& w : s.plan.add) sets.push_back({s.id, "area/safety", w.args}), owner.push_back(i);
        for (const auto& [old, w] : s.plan.change)
            sets.push_back({s.id, "area/safety", w.args}), owner.push_back(i);
    }
    auto answers = requester.ask(sets, fleet_concurrency, target.timeout);
    std::vector<std::size_t> succeeded, unanswered;
    for (std::size_t k = 0; k < sets.size(); ++k) {
        auto& s = states[owner[k]];
        if (ok(answers[k])) {
            s.done.push_back("set " + sets[k].args.value("area", "") + " [" + sets[k].args.value("id", "") +
                             "]");
            succeeded.push_back(k);
        } else if (!answers[k]) {
            unanswered.push_back(k);  // may have landed after the timeout
            if (s.failed.empty())
                s.failed = "area/safety " + sets[k].args.value("area", "") + ": did not answer";
        } else if (s.failed.empty())
            s.failed = "area/safety " + sets[k].args.value("area", "") + ": " + error_text(answers[k]);
    }
    roll_back(target, requester, states, sets, owner, succeeded, unanswered);
    std::vector<GatewayRequest> clears;
    owner.clear();
    for (std::size_t i = 0; i < states.size(); ++i) {
        const auto& s = states[i];
        if (!s.skipped.empty() || !s.failed.empty()) continue;
        auto end = s.plan.end;
        for (const auto& [old, w] : s.plan.change) end.push_back(old);
        for (const auto& f : end)
            clears.push_back(
                {s.id, "area/safety/clear", {{"area", f.value("area", "")}, {"flag", f.value("id", "")}}}),
                owner.push_back(i);
    }
    answers = requester.ask(clears, fleet_concurrency, target.timeout);
    for (std::size_t k = 0; k < clears.size(); ++k) {
        auto& s = states[owner[k]];
        if (ok(answers[k]))
            s.done.push_back("ended " + clears[k].args["area"].get<std::string>() + " [" +
                             clears[k].args["flag"].get<std::string>() + "]");
        else if (s.failed.empty())
            s.failed = "area/safety/clear " + clears[k].args["flag"].get<std::string>() + ": " +
                       error_text(answers[k]);
    }
}

int run(const GatewayTarget& target, const SafetyOptions& options, bool applying) {
    auto file = read_focus_areas(options.file);
    for (const auto& p : file.problems) std::cerr << p << "\n";
    if (!file.ok()) return exit_usage;
    auto session = connect_fleet(target);
    std::vector<std::string> problems;
    auto states = plan_fleet(target, *session, file, problems);
    for (const auto& p : problems) std::cerr << p << "\n";
    if (!problems.empty()) return exit_usage;
    const bool nothing = std::all_of(states.begin(), states.end(), [](const GatewayState& s) {
        return s.skipped.empty() && s.plan.empty();
    });
    if (applying && !nothing) apply(target, *session, states);
    int not_applied = 0;
    for (const auto& s : states) not_applied += !s.skipped.empty() || !s.failed.empty();
    if (options.json || target.json) {
        std::cout << states_json(states).dump(2) << "\n";
    } else if (!applying) {
        print_plan(states);
    } else {
        for (const auto& s : states) {
            std::cout << s.id << ": ";
            if (!s.skipped.empty())
                std::cout << "NOT APPLIED, " << s.skipped << "; run apply again later\n";
            else if (!s.failed.empty())
                std::cout << "NOT APPLIED, " << s.failed << "; "
                          << (s.rolled_back.empty() ? "" : s.rolled_back)
                          << (s.rolled_back.empty() ? "" : "; ") << "run apply again later\n";
            else if (s.plan.empty())
                std::cout << "no change\n";
            else {
                std::cout << "applied (" << s.plan.add.size() << " added, " << s.plan.change.size()
                          << " changed, " << s.plan.end.size() << " ended)\n";
                for (const auto& d : s.done) std::cout << "  " << d << "\n";
            }
        }
    }
    std::cerr << file.path << " (" << file.name << " " << file.version << "): " << states.size()
              << " gateway(s)";
    if (nothing) std::cerr << ", nothing to change: every flag is as the file says";
    if (not_applied) std::cerr << ", " << not_applied << " not " << (applying ? "applied" : "planned");
    std::cerr << "\n";
    return not_applied ? exit_failed : exit_ok;
}

}  // namespace

void add_fleet_safety(CLI::App& fleet, const GatewayTarget& target, int& exit_code) {
    auto* safety = fleet.add_subcommand("safety", "Focus areas: the year's safety flags across the fleet");
    safety->require_subcommand(1);
    for (const bool applying : {false, true}) {
        auto options = std::make_shared<SafetyOptions>();
        auto* sub = safety->add_subcommand(
            applying ? "apply" : "plan", applying ? "Set and end flags as focus-areas.yaml says, per gateway"
                                                  : "Validate focus-areas.yaml and show what would change");
        sub->add_option("file", options->file, "focus-areas.yaml")->required();
        sub->add_flag("--json", options->json, "Print the plan (and what was done) as JSON");
        sub->callback(
            [&target, &exit_code, options, applying] { exit_code = run(target, *options, applying); });
    }
}

}  // namespace lykta::ctl
