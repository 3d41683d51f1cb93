#pragma once
// `lyktactl fleet …`: the verbs that work on every gateway under the prefix
// through the broker (docs/operations.md).
#include <CLI/CLI.hpp>

#include <memory>

#include "broker_session.hpp"
#include "gateway_target.hpp"

namespace lykta::ctl {

void add_fleet_command(CLI::App& cli, const GatewayTarget& target, int& exit_code);

// The fleet verbs' broker connection; throws TransportError without --broker.
std::unique_ptr<BrokerSession> connect_fleet(const GatewayTarget& target);

// Requests in flight at once across the fleet (each gateway sees one at a time).
constexpr std::size_t fleet_concurrency = 64;

void add_fleet_status(CLI::App& fleet, const GatewayTarget& target, int& exit_code);
void add_fleet_faults(CLI::App& fleet, const GatewayTarget& target, int& exit_code);
void add_fleet_safety(CLI::App& fleet, const GatewayTarget& target, int& exit_code);
void add_fleet_report(CLI::App& fleet, const GatewayTarget& target, int& exit_code);
void add_fleet_schedule(CLI::App& fleet, const GatewayTarget& target, int& exit_code);

}  // namespace lykta::ctl
