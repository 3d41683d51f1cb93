#pragma once
// Renderers for the crews (pure: data in, text out). Input is the answer of
// faults/list (`faults`) or faults/report (docs/faults.md).
#include <string>

#include <nlohmann/json.hpp>

namespace lykta::faults {

// Plain-text table for a terminal: severity, id, luminaire/target, street,
// bus/address, kind, since, acknowledged. `faults` is an array of fault records.
std::string faults_table(const nlohmann::json& faults);

// The self-contained maintenance page: active faults by severity, an inline SVG
// map of the luminaires coloured by state, availability per area.
std::string maintenance_page(const nlohmann::json& report, const std::string& gateway_name);

}  // namespace lykta::faults
