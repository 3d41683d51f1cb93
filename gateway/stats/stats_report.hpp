#pragma once
// Turns stored day rows into the report/get answer (docs/statistics.md):
// per area, one entry per day or month of the range, plus a total. Pure.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/stats/stats_store.hpp"

namespace lykta::stats {

enum class Granularity { day, month };

struct ReportQuery {
    Day from;
    Day to;                          // inclusive
    std::vector<std::string> areas;  // the areas to report, in this order
    Granularity granularity = Granularity::day;
};

// A sum of days; the energy figure takes metered days as metered and the rest as estimated.
struct PeriodFigures {
    DayFigures sum;
    double energy_wh = 0;
    int days = 0;         // days with a stored row
    int energy_days = 0;  // days that used energy or had meter data (a sunny day's empty row does not count)
    int metered_days = 0;

    void add(const DayFigures& day);
};

// {"period", "recorded", "lit_hours", "safety_hours", "flagged_hours", "energy_kwh",
//  "burn_hours", "energy_source": "metered"|"estimated"|"mixed"|null, "estimated_kwh", "metered_kwh"|null,
//  "safety_extra_kwh", "availability_flagged_pct"|null, "faults_raised", "repairs", "mttr_hours"|null}
nlohmann::json period_json(const std::string& period, const PeriodFigures& figures);

// {"from","to","granularity","timezone","areas":[{"area", "series":[period...], "total":period}]}
nlohmann::json build_report(const std::vector<DayRow>& rows, const ReportQuery& query,
                            const std::string& timezone);

}  // namespace lykta::stats
