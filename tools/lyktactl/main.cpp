// lyktactl: the operator and maintenance command line.
#include <CLI/CLI.hpp>

#include <iostream>

#include "call_command.hpp"
#include "dali_command.hpp"
#include "explain_command.hpp"
#include "faults_command.hpp"
#include "fleet_command.hpp"
#include "gateway/app/config_check.hpp"
#include "gateway_target.hpp"
#include "http_command.hpp"
#include "inventory_command.hpp"
#include "lykta/version.hpp"
#include "operator_settings.hpp"
#include "plan_command.hpp"
#include "report_command.hpp"
#include "transport_errors.hpp"

namespace {

// The options every verb takes, before or after the verb (the app falls
// through to these from every subcommand).
void add_global_options(CLI::App& cli, lykta::ctl::GatewayTarget& target) {
    cli.add_option("-c,--config", target.config_path, "Configuration file of the gateway on this box")
        ->capture_default_str();
    cli.add_option("--socket", target.socket_override,
                   "Control socket of the daemon (default: control.socket)");
    cli.add_flag("--json", target.json, "Print JSON (verbs that print JSON)");
    auto& broker = target.broker;
    const std::string remote = "Remote";
    cli.add_option("-g,--gateway", target.gateway, "Work on this gateway through the broker (needs --broker)")
        ->group(remote);
    cli.add_option("--broker", broker.uri, "The platform's broker, tcp://host:port or ssl://host:port")
        ->group(remote);
    cli.add_option("--username", broker.username, "Broker user name")->group(remote);
    cli.add_option("--password-file", broker.password_file, "File whose first line is the broker password")
        ->group(remote);
    cli.add_option("--ca-file", broker.ca_file, "CA certificate(s) to verify the broker with")->group(remote);
    cli.add_option("--cert-file", broker.cert_file, "Client certificate")->group(remote);
    cli.add_option("--key-file", broker.key_file, "Client certificate's private key")->group(remote);
    cli.add_option("--prefix", broker.prefix, "The gateways' mqtt.prefix")
        ->capture_default_str()
        ->group(remote);
    cli.add_option_function<std::string>(
           "--mqtt-version",
           [&broker](const std::string& v) { broker.mqtt_version = v == "auto" ? 0 : std::stoi(v); },
           "auto (5, else 3.1.1), 5 or 3")
        ->check(CLI::IsMember({"auto", "5", "3"}))
        ->group(remote);
    cli.add_option_function<double>(
           "--timeout",
           [&target](double s) { target.timeout = std::chrono::milliseconds(static_cast<long>(s * 1000)); },
           "Seconds to wait for an answer (default 10)")
        ->check(CLI::Range(0.1, 3600.0));
}

}  // namespace

int main(int argc, char** argv) {
    using namespace lykta::ctl;
    CLI::App cli{
        "lyktactl: operate and inspect Lykta street-lighting gateways, on the box or through the broker",
        "lyktactl"};
    cli.set_version_flag("-V,--version", std::string("lyktactl ") + lykta::version);
    cli.fallthrough();  // global options may also follow the verb (subcommands inherit this)

    GatewayTarget target;
    OperatorSettings settings;
    for (const auto& problem : load_operator_settings(operator_settings_path(), settings))
        std::cerr << "lyktactl: warning: " << problem << "\n";
    target.broker = settings.broker;
    target.timeout = settings.timeout;
    add_global_options(cli, target);
    cli.require_subcommand(1);
    int exit_code = 0;

    auto* check = cli.add_subcommand("check", "Validate the configuration file");
    check->callback([&] {
        auto result = lykta::check_config_file(target.config_path);
        for (const auto& d : result.diagnostics) std::cerr << d.to_string() << "\n";
        if (!result.config) {
            exit_code = exit_failed;
            return;
        }
        std::cout << lykta::summarize(*result.config) << "\n";
    });
    add_call_command(cli, target, exit_code);
    add_dali_command(cli, target, exit_code);
    PlanOptions plan_options;
    auto* plan = add_plan_command(cli, plan_options);
    add_faults_command(cli, target, exit_code);
    add_report_command(cli, target, exit_code);
    add_explain_command(cli, target, exit_code);
    add_inventory_command(cli, target, exit_code);
    add_fleet_command(cli, target, exit_code);
    add_http_command(cli, target, exit_code);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    } catch (const AnswerTimeout& e) {
        std::cerr << "lyktactl: " << e.what() << "\n";
        return exit_timeout;
    } catch (const TransportError& e) {
        std::cerr << "lyktactl: " << e.what() << "\n";
        return exit_unreachable;
    } catch (const std::exception& e) {
        std::cerr << "lyktactl: " << e.what() << "\n";
        return exit_usage;
    }
    if (plan->parsed()) return run_plan(plan_options, target.config_path);
    return exit_code;
}
