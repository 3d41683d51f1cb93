#pragma once
// Renderers of a report/get answer (pure: data in, text out) for
// `lyktactl report stats`: CSV (one row per area and period) and a
// self-contained HTML page with tables and inline-SVG plots of the series.
#include <string>

#include <nlohmann/json.hpp>

namespace lykta::ctl {

// Header: area,period,lit_hours,safety_hours,flagged_hours,burn_hours,energy_kwh,energy_source,
// estimated_kwh,metered_kwh,safety_extra_kwh,availability_flagged_pct,faults_raised,repairs,mttr_hours
// Empty cells for null figures.
std::string stats_csv(const nlohmann::json& report);

std::string stats_html(const nlohmann::json& report, const std::string& gateway_name);

}  // namespace lykta::ctl
