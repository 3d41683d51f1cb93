// lyktactl: the operator and maintenance command line.
#include <CLI/CLI.hpp>

#include <iostream>

#include "gateway/app/config_check.hpp"
#include "lykta/version.hpp"
#include "plan_command.hpp"

int main(int argc, char** argv) {
    CLI::App cli{"lyktactl: operate and inspect a Lykta street-lighting gateway", "lyktactl"};
    cli.set_version_flag("-V,--version", std::string("lyktactl ") + lykta::version);
    std::string config_path = "/etc/lykta/lykta.yaml";
    cli.add_option("-c,--config", config_path, "Configuration file of the gateway")->capture_default_str();
    cli.require_subcommand(1);

    auto* check = cli.add_subcommand("check", "Validate the configuration file");
    lykta::ctl::PlanOptions plan_options;
    auto* plan = lykta::ctl::add_plan_command(cli, plan_options);
    CLI11_PARSE(cli, argc, argv);

    if (check->parsed()) {
        auto result = lykta::check_config_file(config_path);
        for (const auto& d : result.diagnostics) std::cerr << d.to_string() << "\n";
        if (!result.config) return 1;
        std::cout << lykta::summarize(*result.config) << "\n";
    }
    if (plan->parsed()) return lykta::ctl::run_plan(plan_options, config_path);
    return 0;
}
