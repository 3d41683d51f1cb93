#pragma once
// The optional `photocells:` section: Modbus inputs (lux or a dark/light
// contact) that gate areas inside an astro window (docs/config.md). The
// references (device, areas) are checked after all sections are read; the
// value name against the device's template in app/config_check.cpp.
#include <yaml-cpp/yaml.h>

#include <vector>

#include "gateway/config/model.hpp"
#include "gateway/config/parse_context.hpp"

namespace lykta::config {

void parse_photocells(ParseContext& ctx, const YAML::Node& node, std::vector<Photocell>& out);
// Unique ids, known device and areas, an area gated by one photocell at most,
// a max_age_s the device's publishing can keep fresh.
void check_photocells(ParseContext& ctx, const Config& config);

// max_age_s, or what the device's publishing period implies when not given:
// an unchanged value is delivered at least every full_publish_s.
double photocell_max_age_s(const Photocell& photocell, const Config& config);

}  // namespace lykta::config
