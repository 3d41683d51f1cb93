#pragma once
// `lyktactl http passwd USER [--role viewer|crew] [--file F]`: adds a user of
// the crew page or sets a new password (docs/crew-page.md). The password is
// asked twice without echo on a terminal, or read as one line from standard
// input otherwise (scripts). The file is http.users_file of the config unless
// --file names another; it is replaced atomically, mode 0640.
#include <CLI/CLI.hpp>

#include "gateway_target.hpp"

namespace lykta::ctl {

void add_http_command(CLI::App& cli, const GatewayTarget& target, int& exit_code);

}  // namespace lykta::ctl
