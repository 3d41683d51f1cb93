// `lyktactl fleet report`: report/get from every gateway (monthly), summed
// into one town-wide report with an optional comparison period.
#include <iostream>
#include <memory>

#include "fleet_command.hpp"
#include "fleet_report.hpp"
#include "fleet_snapshot.hpp"
#include "focus_areas_file.hpp"
#include "output_file.hpp"
#include "requester.hpp"
#include "transport_errors.hpp"

namespace lykta::ctl {
namespace {

struct ReportOptions {
    std::string from, to, compare_from, compare_to, focus_areas, out;
    std::vector<std::string> areas;
    bool csv = false, json = false, html = false;
};

PeriodAnswers collect(BrokerSession& session, const std::vector<std::string>& gateways,
                      const std::string& from, const std::string& to, const std::vector<std::string>& areas,
                      std::chrono::milliseconds timeout) {
    PeriodAnswers p{from, to, {}};
    std::vector<GatewayRequest> requests;
    for (const auto& g : gateways) {
        nlohmann::json args{{"from", from}, {"to", to}, {"granularity", "month"}};
        if (!areas.empty()) args["areas"] = areas;
        requests.push_back({g, "report/get", args});
    }
    Requester requester(session);
    auto answers = requester.ask(requests, fleet_concurrency, timeout);
    for (std::size_t i = 0; i < requests.size(); ++i)
        // The Requester hands over only well-formed envelopes (checked_envelope).
        if (answers[i] && (*answers[i])["status"] == "ok")
            p.answers[requests[i].gateway] = (*answers[i])["data"];
        else if (answers[i])
            std::cerr << "lyktactl: " << requests[i].gateway
                      << ": report/get: " << (*answers[i])["error"]["code"].get<std::string>() << ": "
                      << (*answers[i])["error"]["message"].get<std::string>() << "\n";
    return p;
}

}  // namespace

void add_fleet_report(CLI::App& fleet, const GatewayTarget& target, int& exit_code) {
    auto o = std::make_shared<ReportOptions>();
    auto* sub =
        fleet.add_subcommand("report", "The town's development: report/get of every gateway in one report");
    sub->add_option("--from", o->from, "First lighting day, YYYY-MM-DD")->required();
    sub->add_option("--to", o->to, "Last lighting day, YYYY-MM-DD")->required();
    auto* cf = sub->add_option("--compare-from", o->compare_from, "First day of the comparison period");
    auto* ct = sub->add_option("--compare-to", o->compare_to, "Last day of the comparison period");
    cf->needs(ct);
    ct->needs(cf);
    sub->add_option("--area-filter", o->areas, "Only these area ids (repeatable)");
    sub->add_option("--focus-areas", o->focus_areas, "focus-areas.yaml: figures per focus area too");
    auto* csv = sub->add_flag("--csv", o->csv, "CSV: town, focus areas, gateway/areas, missing gateways");
    auto* json = sub->add_flag("--json", o->json, "JSON");
    auto* html = sub->add_flag("--html", o->html, "Self-contained HTML page with monthly plots (default)");
    csv->excludes(json)->excludes(html);
    json->excludes(html);
    sub->add_option("--out", o->out, "Write to this file instead of standard output");
    sub->callback([&target, &exit_code, o] {
        TownReport report;
        if (!o->focus_areas.empty()) {
            auto file = read_focus_areas(o->focus_areas);
            for (const auto& p : file.problems) std::cerr << p << "\n";
            if (!file.ok()) {
                exit_code = exit_usage;
                return;
            }
            for (const auto& focus : file.areas)
                for (const auto& c : focus.covers) report.focus_of[c.gateway + "/" + c.area] = focus.name;
        }
        auto session = connect_fleet(target);
        const auto fleet_view = read_fleet(*session, std::chrono::milliseconds(0), target.timeout);
        std::vector<std::string> online;
        for (const auto& [id, g] : fleet_view.gateways) {
            report.gateways.push_back(id);
            if (presence_of(g, std::chrono::milliseconds(0)).state == "online") online.push_back(id);
        }
        report.period = collect(*session, online, o->from, o->to, o->areas, target.timeout);
        if (!o->compare_from.empty())
            report.compare =
                collect(*session, online, o->compare_from, o->compare_to, o->areas, target.timeout);
        const auto data = report.to_json();
        const std::string text = (o->json || target.json) ? data.dump(2) + "\n"
                                 : o->csv                 ? town_report_csv(data)
                                          : town_report_html(data, "Street lighting: the town's development");
        if (!write_output(o->out, text)) {
            exit_code = exit_failed;
            return;
        }
        std::cerr << data["gateways"].get<int>() << " gateways, " << data["missing"].size() << " missing";
        for (const auto& m : data["missing"])
            std::cerr << " " << m["gateway"].get<std::string>()
                      << (m["bad_answer"] == true ? " (bad answer)" : "");
        std::cerr << "\n";
        exit_code = exit_ok;
    });
}

}  // namespace lykta::ctl
