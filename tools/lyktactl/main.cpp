// lyktactl: the operator and maintenance command line.
#include <CLI/CLI.hpp>

#include <iostream>

#include "call_command.hpp"
#include "dali_command.hpp"
#include "daemon_connection.hpp"
#include "explain_command.hpp"
#include "faults_command.hpp"
#include "inventory_command.hpp"
#include "report_command.hpp"
#include "gateway/app/config_check.hpp"
#include "lykta/version.hpp"
#include "plan_command.hpp"

int main(int argc, char** argv) {
    CLI::App cli{"lyktactl: operate and inspect a Lykta street-lighting gateway", "lyktactl"};
    cli.set_version_flag("-V,--version", std::string("lyktactl ") + lykta::version);
    lykta::ctl::DaemonAddress daemon{"/etc/lykta/lykta.yaml", ""};
    cli.add_option("-c,--config", daemon.config_path, "Configuration file of the gateway")
        ->capture_default_str();
    cli.add_option("--socket", daemon.socket_override,
                   "Control socket of the daemon (default: control.socket)");
    cli.require_subcommand(1);
    int exit_code = 0;

    auto* check = cli.add_subcommand("check", "Validate the configuration file");
    check->callback([&] {
        auto result = lykta::check_config_file(daemon.config_path);
        for (const auto& d : result.diagnostics) std::cerr << d.to_string() << "\n";
        if (!result.config) {
            exit_code = 1;
            return;
        }
        std::cout << lykta::summarize(*result.config) << "\n";
    });
    lykta::ctl::add_call_command(cli, daemon, exit_code);
    lykta::ctl::add_dali_command(cli, daemon, exit_code);
    lykta::ctl::PlanOptions plan_options;
    auto* plan = lykta::ctl::add_plan_command(cli, plan_options);
    lykta::ctl::add_faults_command(cli, daemon, exit_code);
    lykta::ctl::add_report_command(cli, daemon, exit_code);
    lykta::ctl::add_explain_command(cli, daemon, exit_code);
    lykta::ctl::add_inventory_command(cli, daemon, exit_code);

    try {
        CLI11_PARSE(cli, argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "lyktactl: " << e.what() << "\n";
        return 2;
    }
    if (plan->parsed()) return lykta::ctl::run_plan(plan_options, daemon.config_path);
    return exit_code;
}
