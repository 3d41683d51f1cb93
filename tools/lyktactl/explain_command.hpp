#pragma once
// `lyktactl explain --luminaire ID | --area ID [--at TIME] [--json]`: why a
// luminaire or area has its level, through the control socket (command
// `explain`, docs/policy.md): the winning rule and the whole layer stack.
#include <CLI/CLI.hpp>

#include "gateway_target.hpp"

namespace lykta::ctl {

void add_explain_command(CLI::App& cli, const GatewayTarget& target, int& exit_code);

}  // namespace lykta::ctl
