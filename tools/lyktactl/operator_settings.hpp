#pragma once
// The operator's own defaults for reaching the platform's broker, so that
// --broker and the credentials are typed once: ~/.config/lykta/lyktactl.yaml
// ($XDG_CONFIG_HOME/lykta/lyktactl.yaml when that is set). Options on the
// command line win over the file. docs/operations.md lists the keys.
#include <chrono>
#include <string>
#include <vector>

#include "broker_session.hpp"

namespace lykta::ctl {

struct OperatorSettings {
    BrokerOptions broker;
    std::chrono::milliseconds timeout{std::chrono::seconds(10)};
};

// The file's path (it may not exist).
std::string operator_settings_path();

// Reads `path` over `settings`. A missing file changes nothing; every problem
// is returned as "FILE:LINE:COL: message" and the file's other keys still apply.
std::vector<std::string> load_operator_settings(const std::string& path, OperatorSettings& settings);

}  // namespace lykta::ctl
