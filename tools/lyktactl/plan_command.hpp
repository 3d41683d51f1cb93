#pragma once
// `lyktactl plan --area A --date D [--json] [--config FILE]`: the night's
// resolved steps and effective levels for one area, from the config file.
#include <CLI/CLI.hpp>

#include <string>

namespace lykta::ctl {

struct PlanOptions {
    std::string area;
    std::string date;  // YYYY-MM-DD, the evening the night starts on
    bool json = false;
};

CLI::App* add_plan_command(CLI::App& cli, PlanOptions& options);
// Exit code: 0 ok, 1 bad config, 2 bad arguments (unknown area, bad date).
int run_plan(const PlanOptions& options, const std::string& config_path);

}  // namespace lykta::ctl
