#include "gateway/faults/fault_settings.hpp"

namespace lykta::faults {

FaultSettings fault_settings(const config::FaultsConfig& config) {
    FaultSettings s;
    s.history = std::chrono::hours(24 * config.history_days);
    s.detection.fade_grace_s = config.fade_grace_s;
    s.detection.night_outage_ratio = config.night_outage_ratio;
    s.detection.energy_tolerance = config.energy_tolerance_pct / 100.0;
    s.detection.energy_tolerance_w = config.energy_tolerance_w;
    for (const auto& [name, counts] : config.debounce) {
        auto kind = parse_kind(name);
        if (!kind) continue;  // the config loader only lets known names through
        auto rule = default_debounce(*kind);
        if (counts.raise_after > 0) rule.raise_after = counts.raise_after;
        if (counts.clear_after > 0) rule.clear_after = counts.clear_after;
        s.debounce.set(*kind, rule);
    }
    return s;
}

}  // namespace lykta::faults
