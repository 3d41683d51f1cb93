#pragma once
// `lyktactl faults [--area A] [--all] [--json]` and
// `lyktactl faults ack ID [--by NAME] [--note TEXT]`, through the control
// socket (commands faults/list and faults/ack, docs/faults.md).
#include <CLI/CLI.hpp>

#include "gateway_target.hpp"

namespace lykta::ctl {

void add_faults_command(CLI::App& cli, const GatewayTarget& target, int& exit_code);

}  // namespace lykta::ctl
