#pragma once
// The optional `faults:` and `statistics:` sections (docs/faults.md,
// docs/statistics.md). Absent sections keep the model's defaults.
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "gateway/config/model.hpp"
#include "gateway/config/parse_context.hpp"

namespace lykta::config {

// The fault kind names a `faults.debounce` map may use; gateway/faults checks
// in its tests that this list matches its FaultKind names.
const std::vector<std::string>& fault_kind_names();

void parse_faults(ParseContext& ctx, const YAML::Node& node, FaultsConfig& out);
void parse_statistics(ParseContext& ctx, const YAML::Node& node, StatisticsConfig& out);

}  // namespace lykta::config
