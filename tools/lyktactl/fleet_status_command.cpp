// `lyktactl fleet status`: every gateway from the retained topics alone.
#include <iostream>
#include <memory>

#include "fleet_command.hpp"
#include "fleet_snapshot.hpp"
#include "gateway/core/rfc3339.hpp"
#include "gateway/core/text_table.hpp"
#include "json_fields.hpp"
#include "remote_gateway.hpp"

namespace lykta::ctl {
namespace {

struct StatusOptions {
    double listen_s = 0;
    bool csv = false;
    bool json = false;
};

std::string text(const nlohmann::json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return "";
    return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

nlohmann::json fault_counts(const nlohmann::json& alarms) {
    nlohmann::json counts{{"critical", 0}, {"major", 0}, {"minor", 0}, {"total", 0}};
    if (!alarms.is_object()) return counts;
    const auto active = array_field(alarms, "active");
    for (const auto& f : active) {
        auto severity = text_field(f, "severity", "minor");
        if (counts.contains(severity) && severity != "total")
            counts[severity] = counts[severity].get<int>() + 1;
    }
    counts["total"] = static_cast<int>(number_field(alarms, "total", static_cast<double>(active.size())));
    return counts;
}

nlohmann::json status_record(const GatewayView& g, const FleetSnapshot& fleet) {
    const auto presence = presence_of(g, fleet.listened);
    nlohmann::json r{
        {"id", g.id},
        {"name", text(g.info, "name")},
        {"state", presence.state},
        {"detail", presence.detail},
        {"online_since",
         presence.state == "online" && field(g.status, "since") && g.status["since"].is_string()
             ? g.status["since"]
             : nlohmann::json(nullptr)},
        {"version", text(g.info, "version").empty() ? text(g.status, "version") : text(g.info, "version")},
        {"api", field(g.info, "api") ? g.info["api"] : nlohmann::json(nullptr)},
        {"faults", fault_counts(g.alarms)},
        {"last_heartbeat",
         g.last_heartbeat ? nlohmann::json(rfc3339_utc(*g.last_heartbeat)) : nlohmann::json(nullptr)},
        {"config_hash", text(g.info, "config_hash")},
        {"schedule_revision", number_or_null(g.info, "schedule_revision")}};
    return r;
}

std::string ago(const nlohmann::json& time, SystemTime now) {
    if (!time.is_string()) return "-";
    auto t = parse_rfc3339(time.get<std::string>());
    if (!t) return time.get<std::string>();
    return age_text(std::chrono::duration_cast<std::chrono::seconds>(now - *t)) + " ago";
}

std::string faults_text(const nlohmann::json& counts) {
    if (counts.value("total", 0) == 0) return "-";
    std::string out;
    for (const char* s : {"critical", "major", "minor"})
        if (counts.value(s, 0) > 0)
            out += (out.empty() ? "" : ", ") + std::to_string(counts.value(s, 0)) + " " + s;
    const int listed = counts.value("critical", 0) + counts.value("major", 0) + counts.value("minor", 0);
    if (counts.value("total", 0) > listed)
        out += (out.empty() ? "" : ", ") + std::to_string(counts.value("total", 0) - listed) + " more";
    return out;
}

std::string config_text(const nlohmann::json& r) {
    std::string out = text_field(r, "config_hash");
    if (r["schedule_revision"].is_number()) out += " rev " + r["schedule_revision"].dump();
    return out.empty() ? "-" : out;
}

}  // namespace

void add_fleet_status(CLI::App& fleet, const GatewayTarget& target, int& exit_code) {
    auto options = std::make_shared<StatusOptions>();
    auto* status = fleet.add_subcommand(
        "status",
        "Every gateway: online/offline, version, active faults, heartbeat, configuration (no request sent)");
    status
        ->add_option("--listen", options->listen_s,
                     "Also listen this many seconds for heartbeats; a gateway whose status says online "
                     "but sent none is offline (give at least mqtt.heartbeat_s)")
        ->check(CLI::Range(0.0, 3600.0));
    auto* csv = status->add_flag("--csv", options->csv, "CSV, one row per gateway");
    status->add_flag("--json", options->json, "JSON, one object per gateway")->excludes(csv);
    status->callback([&target, &exit_code, options] {
        auto session = connect_fleet(target);
        const auto fleet_view = read_fleet(
            *session, std::chrono::milliseconds(static_cast<long>(options->listen_s * 1000)), target.timeout);
        nlohmann::json records = nlohmann::json::array();
        std::map<std::string, int> by_state;
        for (const auto& [id, g] : fleet_view.gateways) {
            records.push_back(status_record(g, fleet_view));
            ++by_state[records.back()["state"].get<std::string>()];
        }
        const bool json = options->json || target.json;
        if (json) {
            std::cout << records.dump(2) << "\n";
        } else if (options->csv) {
            std::cout << csv_line({"gateway", "name", "state", "detail", "online_since", "version", "api",
                                   "critical", "major", "minor", "faults_total", "last_heartbeat",
                                   "config_hash", "schedule_revision"});
            for (const auto& r : records)
                std::cout << csv_line({r["id"], r["name"], r["state"], r["detail"], text(r, "online_since"),
                                       r["version"], text(r, "api"), r["faults"]["critical"].dump(),
                                       r["faults"]["major"].dump(), r["faults"]["minor"].dump(),
                                       r["faults"]["total"].dump(), text(r, "last_heartbeat"),
                                       r["config_hash"], text(r, "schedule_revision")});
        } else {
            std::vector<std::vector<std::string>> rows{{"GATEWAY", "NAME", "STATE", "SINCE", "VERSION", "API",
                                                        "FAULTS", "LAST HEARTBEAT", "CONFIG"}};
            for (const auto& r : records) {
                std::string state = r["state"];
                if (!r.value("detail", "").empty()) state += " (" + r["detail"].get<std::string>() + ")";
                rows.push_back({r["id"], r["name"], state, ago(r["online_since"], fleet_view.taken),
                                r["version"], text(r, "api"), faults_text(r["faults"]),
                                ago(r["last_heartbeat"], fleet_view.taken), config_text(r)});
            }
            std::cout << aligned_table(rows);
        }
        std::cerr << records.size() << " gateways: " << by_state["online"] << " online, "
                  << by_state["offline"] << " offline, " << by_state["unknown"] << " unknown"
                  << (fleet_view.listened.count() > 0
                          ? "; offline also when no heartbeat came in " +
                                std::to_string(fleet_view.listened.count() / 1000.0).substr(0, 4) + " s"
                          : "; from the retained status alone (--listen S decides by heartbeats)")
                  << "\n";
        exit_code = 0;
    });
}

}  // namespace lykta::ctl
