#pragma once
// `lyktactl inventory [--area A] [--luminaire L] [--read] [--json|--csv]`:
// the asset inventory through the control socket (inventory/get; with --read,
// inventory/read first, so the listing shows what the gear says now).
#include <CLI/CLI.hpp>

#include "gateway_target.hpp"

namespace lykta::ctl {

void add_inventory_command(CLI::App& cli, const GatewayTarget& target, int& exit_code);

}  // namespace lykta::ctl
