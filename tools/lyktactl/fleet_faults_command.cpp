// `lyktactl fleet faults`: the active faults of every gateway, most severe
// first, then oldest. The retained P/alarms of every gateway give the list at
// once; the gateways that have faults are then asked `faults/list` (bounded
// concurrency) for the complete list with pole locations. A gateway that does
// not answer keeps its retained entries, and is named.
#include <iostream>
#include <memory>

#include "fleet_command.hpp"
#include "fleet_snapshot.hpp"
#include "gateway/core/text_table.hpp"
#include "json_fields.hpp"
#include "output_file.hpp"
#include "render/html_text.hpp"
#include "render/maintenance_page.hpp"
#include "requester.hpp"
#include "transport_errors.hpp"

namespace lykta::ctl {
namespace {

struct FaultsOptions {
    bool csv = false;
    bool json = false;
    bool html = false;
    bool retained_only = false;
    std::string out;
};

std::string text(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return "";
    return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

std::string luminaire_of(const nlohmann::json& fault) {
    const auto target = text(fault, "target");
    return target.rfind("luminaire/", 0) == 0 ? target.substr(10) : "";
}

struct Collected {
    std::vector<nlohmann::json> faults;  // each with "gateway" added
    std::vector<std::string> unanswered;
    std::size_t gateways = 0;
};

Collected collect(const GatewayTarget& target, const FaultsOptions& options) {
    auto session = connect_fleet(target);
    const auto fleet = read_fleet(*session, std::chrono::milliseconds(0), target.timeout);
    Collected out;
    out.gateways = fleet.gateways.size();
    std::vector<GatewayRequest> requests;
    for (const auto& [id, g] : fleet.gateways)
        if (number_field(g.alarms, "total") > 0 && !options.retained_only)
            requests.push_back({id, "faults/list", {{"active_only", true}}});
    std::map<std::string, nlohmann::json> listed;
    if (!requests.empty()) {
        Requester requester(*session);
        auto answers = requester.ask(requests, fleet_concurrency, target.timeout);
        for (std::size_t i = 0; i < requests.size(); ++i) {
            const auto& a = answers[i];
            if (a && (*a)["status"] == "ok")  // a well-formed envelope (checked_envelope)
                listed[requests[i].gateway] = array_field((*a)["data"], "faults");
            else
                out.unanswered.push_back(requests[i].gateway);
        }
    }
    for (const auto& [id, g] : fleet.gateways) {
        auto found = listed.find(id);
        const auto list = found != listed.end() ? found->second : array_field(g.alarms, "active");
        for (auto f : list) {
            if (!f.is_object()) continue;  // not a fault: nothing to show
            f["gateway"] = id;
            f["gateway_name"] = text(g.info, "name");
            out.faults.push_back(std::move(f));
        }
    }
    out.faults = most_severe_first(nlohmann::json(out.faults));
    return out;
}

std::string faults_html(const Collected& c) {
    std::string out = html_page_start("Faults across the fleet");
    out += "<h1>Faults across the fleet</h1>\n<p>" + std::to_string(c.faults.size()) +
           " active fault(s) on " + std::to_string(c.gateways) + " gateway(s).</p>\n";
    if (!c.unanswered.empty()) {
        out += "<p class=\"missing\">Did not answer (their retained alarms are shown, without locations):";
        for (const auto& g : c.unanswered) out += " " + html_escape(g);
        out += "</p>\n";
    }
    nlohmann::json points = nlohmann::json::array();
    for (const auto& f : c.faults) {
        const auto& loc = object_field(f, "location");
        const bool located = loc.is_object() && loc.contains("lat") && loc["lat"].is_number() &&
                             !(number_field(loc, "lat") == 0 && number_field(loc, "lon") == 0);
        points.push_back({{"id", text(f, "gateway") + " " + text(f, "id")},
                          {"street", text(loc, "street")},
                          {"lat", number_field(loc, "lat")},
                          {"lon", number_field(loc, "lon")},
                          {"located", located},
                          {"state", text(f, "severity")}});
    }
    out += luminaire_map_svg(points);
    out +=
        "<h2>Active faults</h2>\n<table>\n<tr><th>Severity</th><th>Since</th><th>Gateway</th><th>Fault</th>"
        "<th>Luminaire / target</th><th>Area</th><th>Street</th><th>Kind</th><th>Acknowledged</th>"
        "<th>Detail</th></tr>\n";
    for (const auto& f : c.faults) {
        out += "<tr class=\"" + html_escape(text(f, "severity")) + "\">";
        for (const auto& cell :
             {text(f, "severity"), text(f, "since"), text(f, "gateway"), text(f, "id"), text(f, "target"),
              text(f, "area"), text(object_field(f, "location"), "street"), text(f, "kind"),
              bool_field(f, "acknowledged") ? std::string("yes") : std::string("no"), text(f, "detail")})
            out += "<td>" + html_escape(cell) + "</td>";
        out += "</tr>\n";
    }
    out += "</table>\n";
    return out + html_page_end();
}

}  // namespace

void add_fleet_faults(CLI::App& fleet, const GatewayTarget& target, int& exit_code) {
    auto options = std::make_shared<FaultsOptions>();
    auto* sub =
        fleet.add_subcommand("faults", "Active faults of every gateway, most severe first, then oldest");
    auto* csv = sub->add_flag("--csv", options->csv, "CSV, one row per fault");
    auto* json = sub->add_flag("--json", options->json, "JSON fault records with \"gateway\"");
    auto* html = sub->add_flag("--html", options->html, "Self-contained HTML page with a map");
    csv->excludes(json)->excludes(html);
    json->excludes(html);
    sub->add_flag("--retained-only", options->retained_only,
                  "Only the retained P/alarms (no faults/list requests, no locations)");
    sub->add_option("--out", options->out, "Write to this file instead of standard output");
    sub->callback([&target, &exit_code, options] {
        const auto c = collect(target, *options);
        std::string text_out;
        if (options->json || target.json) {
            text_out = nlohmann::json(c.faults).dump(2) + "\n";
        } else if (options->html) {
            text_out = faults_html(c);
        } else if (options->csv) {
            text_out = csv_line({"severity", "since", "gateway", "fault", "target", "luminaire", "area",
                                 "street", "lat", "lon", "kind", "acknowledged", "detail"});
            for (const auto& f : c.faults) {
                const auto& loc = object_field(f, "location");
                text_out +=
                    csv_line({text(f, "severity"), text(f, "since"), text(f, "gateway"), text(f, "id"),
                              text(f, "target"), luminaire_of(f), text(f, "area"), text(loc, "street"),
                              text(loc, "lat"), text(loc, "lon"), text(f, "kind"),
                              bool_field(f, "acknowledged") ? "yes" : "no", text(f, "detail")});
            }
        } else {
            std::vector<std::vector<std::string>> rows{
                {"SEVERITY", "SINCE", "GATEWAY", "FAULT", "TARGET", "AREA", "STREET", "KIND", "ACK"}};
            for (const auto& f : c.faults)
                rows.push_back({text(f, "severity"), text(f, "since"), text(f, "gateway"), text(f, "id"),
                                text(f, "target"), text(f, "area"),
                                text(object_field(f, "location"), "street"), text(f, "kind"),
                                bool_field(f, "acknowledged") ? "yes" : "no"});
            text_out = c.faults.empty() ? "No active faults.\n" : aligned_table(rows);
        }
        if (!write_output(options->out, text_out)) {
            exit_code = exit_failed;
            return;
        }
        std::cerr << c.faults.size() << " active faults on " << c.gateways << " gateways";
        if (!c.unanswered.empty()) {
            std::cerr << "; no faults/list answer (retained alarms shown) from:";
            for (const auto& g : c.unanswered) std::cerr << " " << g;
        }
        std::cerr << "\n";
        exit_code = 0;
    });
}

}  // namespace lykta::ctl
