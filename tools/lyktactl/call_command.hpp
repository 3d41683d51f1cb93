#pragma once
// `lyktactl call COMMAND [JSON]`: any command of the API (docs/mqtt-api.md)
// through the local control socket; prints the response data as JSON.
#include <CLI/CLI.hpp>

#include "gateway_target.hpp"

namespace lykta::ctl {

// Adds the subcommand; its callback sets `exit_code`.
void add_call_command(CLI::App& cli, const GatewayTarget& target, int& exit_code);

}  // namespace lykta::ctl
