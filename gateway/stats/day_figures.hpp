#pragma once
// The raw sums kept per area and lighting day. Everything is additive (seconds,
// watt-hours, counts), so days add up to months and ratios are taken last.
#include <cstdint>
#include <string>

namespace lykta::stats {

struct DayFigures {
    double lit_s = 0;            // some luminaire of the area had a target > 0
    double flagged_s = 0;        // a safety flag was in force
    double safety_s = 0;         // flagged and lit: lighting under the safety profile
    double burn_lum_s = 0;       // luminaire-seconds with read-back level > 0 (lamp burn hours)
    double estimated_wh = 0;     // Σ rated_w × read-back level × time
    double metered_wh = 0;       // meter energy attributed to the area
    bool metered = false;        // some meter delta arrived for this day
    double safety_extra_wh = 0;  // flagged: Σ rated_w × (target − normal level) × time
    double required_lum_s = 0;   // flagged: luminaire-seconds with target > 0
    double lit_ok_lum_s = 0;     //   … of which lit as required (level ≥ ratio × target)
    std::int64_t faults_raised = 0;
    std::int64_t repairs = 0;  // faults cleared this day
    double repair_s = 0;       // Σ (cleared − raised) of those

    DayFigures& operator+=(const DayFigures& o);
};

}  // namespace lykta::stats
