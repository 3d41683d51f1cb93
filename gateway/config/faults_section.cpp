#include "gateway/config/faults_section.hpp"

#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {

const std::vector<std::string>& fault_kind_names() {
    static const std::vector<std::string> names{
        "lamp_failure",         "gear_failure", "no_answer",          "bus_power",
        "interface_down",       "day_burner",   "night_outage",       "energy_anomaly",
        "meter_offline",        "door_open",    "contactor_mismatch", "photocell_disagreement",
        "clock_unsynchronised", "clock_jump",   "storage_failure",    "uplink_credentials"};
    return names;
}

void parse_faults(ParseContext& ctx, const YAML::Node& node, FaultsConfig& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    MapReader map(ctx, node, "faults",
                  {"history_days", "fade_grace_s", "night_outage_ratio", "energy_tolerance_pct",
                   "energy_tolerance_w", "debounce"});
    if (!map.is_map()) return;
    map.read("history_days", out.history_days, 1, 36500);
    map.read("fade_grace_s", out.fade_grace_s, 0, 3600);
    map.read("night_outage_ratio", out.night_outage_ratio, 0.01, 1);
    map.read("energy_tolerance_pct", out.energy_tolerance_pct, 0, 1000);
    map.read("energy_tolerance_w", out.energy_tolerance_w, 0, 1e6);
    if (!map.has("debounce")) return;
    // debounce: {lamp_failure: {raise_after: 2, clear_after: 2}, ...}
    MapReader kinds(ctx, map.node("debounce"), map.path_of("debounce"), fault_kind_names());
    if (!kinds.is_map()) return;
    for (const auto& kind : fault_kind_names()) {
        if (!kinds.has(kind)) continue;
        MapReader counts(ctx, kinds.node(kind), kinds.path_of(kind), {"raise_after", "clear_after"});
        if (!counts.is_map()) continue;
        DebounceCounts c;
        counts.read("raise_after", c.raise_after, 1, 1000);
        counts.read("clear_after", c.clear_after, 1, 1000);
        out.debounce[kind] = c;
    }
}

void parse_statistics(ParseContext& ctx, const YAML::Node& node, StatisticsConfig& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    MapReader map(ctx, node, "statistics", {"lit_ok_ratio", "flush_s"});
    if (!map.is_map()) return;
    map.read("lit_ok_ratio", out.lit_ok_ratio, 0.01, 1);
    map.read("flush_s", out.flush_s, 10, 86400);
}

}  // namespace lykta::config
