#pragma once
// Renderers for the crews (pure: data in, text out). Input is the answer of
// faults/list (`faults`) or faults/report (docs/faults.md).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lykta::ctl {

// Plain-text table for a terminal: severity, id, luminaire/target, street,
// bus/address, kind, since, acknowledged. `faults` is an array of fault records.
std::string faults_table(const nlohmann::json& faults);

// The self-contained maintenance page: active faults by severity, an inline SVG
// map of the luminaires coloured by state, availability per area.
// Fault records most severe first, then oldest: the order of every fault list.
std::vector<nlohmann::json> most_severe_first(const nlohmann::json& faults);

// The inline SVG map (with its heading and legend): `luminaires` entries with
// "id", "street", "lat", "lon", "located" and "state" (ok, minor, major, critical).
std::string luminaire_map_svg(const nlohmann::json& luminaires);

std::string maintenance_page(const nlohmann::json& report, const std::string& gateway_name);

}  // namespace lykta::ctl
