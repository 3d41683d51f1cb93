#include "fleet_command.hpp"

#include "transport_errors.hpp"

namespace lykta::ctl {

std::unique_ptr<BrokerSession> connect_fleet(const GatewayTarget& target) {
    if (target.broker.uri.empty())
        throw TransportError("fleet verbs need --broker URI (or broker: in ~/.config/lykta/lyktactl.yaml)");
    return std::make_unique<BrokerSession>(target.broker, target.timeout);
}

void add_fleet_command(CLI::App& cli, const GatewayTarget& target, int& exit_code) {
    auto* fleet = cli.add_subcommand("fleet", "Every gateway under the prefix, through the broker");
    fleet->require_subcommand(1);
    add_fleet_status(*fleet, target, exit_code);
    add_fleet_faults(*fleet, target, exit_code);
    add_fleet_safety(*fleet, target, exit_code);
    add_fleet_report(*fleet, target, exit_code);
    add_fleet_schedule(*fleet, target, exit_code);
}

}  // namespace lykta::ctl
