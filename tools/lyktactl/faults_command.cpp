#include "faults_command.hpp"

#include <cstdlib>
#include <iostream>
#include <memory>

#include "render/maintenance_page.hpp"

namespace lykta::ctl {
namespace {

struct FaultsOptions {
    std::string area;
    bool all = false;
    bool json = false;
    std::string ack_id;
    std::string by;
    std::string note;
};

std::string login_name() {
    for (const char* var : {"SUDO_USER", "USER", "LOGNAME"})
        if (const char* v = std::getenv(var); v && *v) return v;
    return "lyktactl";
}

}  // namespace

void add_faults_command(CLI::App& cli, const GatewayTarget& target, int& exit_code) {
    auto options = std::make_shared<FaultsOptions>();
    auto* faults = cli.add_subcommand("faults", "List the gateway's faults (active ones unless --all)");
    faults->add_option("--area", options->area, "Only faults in this area");
    faults->add_flag("--all", options->all, "Include cleared faults (history, newest first)");
    faults->add_flag("--json", options->json, "Print the fault records as JSON");
    faults->require_subcommand(0, 1);

    auto* ack = faults->add_subcommand("ack", "Acknowledge a fault: someone is on it");
    ack->add_option("id", options->ack_id, "Fault id, e.g. F-17")->required();
    ack->add_option("--by", options->by, "Who acknowledges (default: your login name)");
    ack->add_option("--note", options->note, "A note for the crew and the platform");
    ack->callback([&target, &exit_code, options] {
        nlohmann::json args{{"fault", options->ack_id},
                            {"by", options->by.empty() ? login_name() : options->by},
                            {"note", options->note}};
        auto response = ask(target, "faults/ack", args);
        if (response.value("status", "") != "ok") {
            exit_code = report_error(response);
            return;
        }
        const auto& fault = response["data"]["fault"];
        std::cout << fault.value("id", options->ack_id)
                  << (response["data"].value("already_acknowledged", false) ? " was already acknowledged"
                                                                            : " acknowledged")
                  << "\n";
        exit_code = 0;
    });

    faults->callback([&target, &exit_code, options, ack] {
        if (ack->parsed()) return;
        nlohmann::json args{{"active_only", !options->all}};
        if (!options->area.empty()) args["area"] = options->area;
        auto response = ask(target, "faults/list", args);
        if (response.value("status", "") != "ok") {
            exit_code = report_error(response);
            return;
        }
        const auto& list = response["data"].value("faults", nlohmann::json::array());
        if (options->json || target.json)
            std::cout << list.dump(2) << "\n";
        else
            std::cout << faults_table(list);
        exit_code = 0;
    });
}

}  // namespace lykta::ctl
