#pragma once
// `lyktactl report maintenance --out FILE.html` (command faults/report) and
// `lyktactl report stats --from D --to D [--area A]... [--granularity day|month]
// [--csv|--json|--html] [--out FILE]` (command report/get); docs/faults.md and
// docs/statistics.md.
#include <CLI/CLI.hpp>

#include "gateway_target.hpp"

namespace lykta::ctl {

void add_report_command(CLI::App& cli, const GatewayTarget& target, int& exit_code);

}  // namespace lykta::ctl
