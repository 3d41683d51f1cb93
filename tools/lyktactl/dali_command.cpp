#include "dali_command.hpp"

#include <iostream>
#include <memory>
#include <sstream>

namespace lykta::ctl {
namespace {

std::string name_of(const nlohmann::json& entry) {
    const auto& l = entry.value("luminaire", nlohmann::json());
    return l.is_string() ? l.get<std::string>() : "not in config";
}

}  // namespace

std::string commission_text(const nlohmann::json& r) {
    std::ostringstream out;
    out << "bus " << r.value("bus", "?") << ": " << (r.value("ok", false) ? "ok" : "problems") << "\n";
    const auto found = r.value("found", nlohmann::json::array());
    out << "  newly addressed: " << found.size() << "\n";
    for (const auto& f : found) {
        out << "    address " << f.value("address", -1) << " (" << name_of(f) << "), random address "
            << f.value("random_address", "?") << ", device type ";
        if (f.contains("device_type") && f["device_type"].is_number())
            out << f["device_type"].get<int>();
        else
            out << "unknown";
        out << "\n";
    }
    const auto absent = r.value("absent", nlohmann::json::array());
    for (const auto& a : absent)
        out << "  address " << a.value("address", -1) << " configured (" << name_of(a) << ") but absent\n";
    for (const auto& u : r.value("unexpected", nlohmann::json::array()))
        out << "  gear at " << u.get<int>() << " not in config\n";
    out << "  present: " << r.value("present", nlohmann::json::array()).size()
        << ", group membership programmed at addresses: "
        << r.value("groups_programmed", nlohmann::json::array()).dump() << "\n";
    for (const auto& p : r.value("problems", nlohmann::json::array()))
        out << "  problem: " << p.get<std::string>() << "\n";
    return out.str();
}

void add_dali_command(CLI::App& cli, const GatewayTarget& target, int& exit_code) {
    auto* dali = cli.add_subcommand("dali", "DALI bus operations (through the running daemon)");
    dali->require_subcommand(1);
    auto* commission =
        dali->add_subcommand("commission", "Address new gear, program groups and fail-safe levels");
    auto bus = std::make_shared<std::string>();
    auto all = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    commission->add_option("--bus", *bus, "Configured DALI bus id")->required();
    commission->add_flag("--all", *all, "Re-address every gear, not only those without a short address");
    commission->add_flag("--json", *json, "Print the report as JSON");
    commission->callback([&target, &exit_code, bus, all, json] {
        // Commissioning 64 gear takes minutes on a real bus.
        auto response =
            ask(target, "dali/commission", {{"bus", *bus}, {"all", *all}}, std::chrono::minutes(15));
        if (response.value("status", "") != "ok") {
            exit_code = report_error(response);
            return;
        }
        const auto& data = response["data"];
        if (*json || target.json)
            std::cout << data.dump(2) << "\n";
        else
            std::cout << commission_text(data);
        exit_code = data.value("ok", false) ? 0 : 1;
    });
}

}  // namespace lykta::ctl
