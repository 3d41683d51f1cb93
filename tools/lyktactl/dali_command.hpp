#pragma once
// `lyktactl dali commission --bus ID [--all] [--json]`: gives short addresses
// to gear without one (or to all), programs groups and fail-safe levels, and
// reports what the bus holds against the config. Runs inside the daemon, which
// owns the bus, through the control socket (command dali/commission).
#include <CLI/CLI.hpp>

#include "gateway_target.hpp"

namespace lykta::ctl {

void add_dali_command(CLI::App& cli, const GatewayTarget& target, int& exit_code);
// The commission report as text for a terminal (pure; tested).
std::string commission_text(const nlohmann::json& report);

}  // namespace lykta::ctl
