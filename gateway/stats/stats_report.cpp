#include "gateway/stats/stats_report.hpp"

#include <cmath>
#include <map>

namespace lykta::stats {
namespace {

double round3(double v) {
    return std::round(v * 1000.0) / 1000.0;
}

std::string period_of(Day day, Granularity g) {
    return g == Granularity::day ? day_text(day) : month_text(day);
}

// Every period label of the range, in order, so a series has no holes.
std::vector<std::string> periods(const ReportQuery& q) {
    std::vector<std::string> out;
    for (auto day = q.from; day <= q.to; day += date::days{1}) {
        auto label = period_of(day, q.granularity);
        if (out.empty() || out.back() != label) out.push_back(label);
    }
    return out;
}

}  // namespace

void PeriodFigures::add(const DayFigures& day) {
    sum += day;
    ++days;
    if (day.metered || day.estimated_wh > 0) ++energy_days;
    if (day.metered) {
        ++metered_days;
        energy_wh += day.metered_wh;
    } else {
        energy_wh += day.estimated_wh;
    }
}

nlohmann::json period_json(const std::string& period, const PeriodFigures& p) {
    const auto& s = p.sum;
    nlohmann::json j{{"period", period},
                     {"recorded", p.days > 0},
                     {"lit_hours", round3(s.lit_s / 3600)},
                     {"safety_hours", round3(s.safety_s / 3600)},
                     {"flagged_hours", round3(s.flagged_s / 3600)},
                     {"burn_hours", round3(s.burn_lum_s / 3600)},
                     {"energy_kwh", round3(p.energy_wh / 1000)},
                     {"estimated_kwh", round3(s.estimated_wh / 1000)},
                     {"safety_extra_kwh", round3(s.safety_extra_wh / 1000)},
                     {"faults_raised", s.faults_raised},
                     {"repairs", s.repairs}};
    if (p.energy_days == 0)
        j["energy_source"] = nullptr;
    else
        j["energy_source"] = p.metered_days == 0               ? "estimated"
                             : p.metered_days == p.energy_days ? "metered"
                                                               : "mixed";
    j["metered_kwh"] = p.metered_days ? nlohmann::json(round3(s.metered_wh / 1000)) : nlohmann::json(nullptr);
    j["availability_flagged_pct"] = s.required_lum_s > 0
                                        ? nlohmann::json(round3(100.0 * s.lit_ok_lum_s / s.required_lum_s))
                                        : nlohmann::json(nullptr);
    j["mttr_hours"] =
        s.repairs > 0 ? nlohmann::json(round3(s.repair_s / s.repairs / 3600)) : nlohmann::json(nullptr);
    return j;
}

nlohmann::json build_report(const std::vector<DayRow>& rows, const ReportQuery& query,
                            const std::string& timezone) {
    std::map<std::string, std::map<std::string, PeriodFigures>> by_area;
    for (const auto& row : rows) {
        if (row.day < query.from || row.day > query.to) continue;
        by_area[row.area][period_of(row.day, query.granularity)].add(row.figures);
    }
    auto labels = periods(query);
    auto areas = nlohmann::json::array();
    for (const auto& area : query.areas) {
        auto& series_figures = by_area[area];
        auto series = nlohmann::json::array();
        PeriodFigures total;
        for (const auto& label : labels) {
            auto it = series_figures.find(label);
            PeriodFigures p = it == series_figures.end() ? PeriodFigures{} : it->second;
            series.push_back(period_json(label, p));
            total.sum += p.sum;
            total.energy_wh += p.energy_wh;
            total.days += p.days;
            total.energy_days += p.energy_days;
            total.metered_days += p.metered_days;
        }
        areas.push_back(
            {{"area", area}, {"series", std::move(series)}, {"total", period_json("total", total)}});
    }
    return {{"from", day_text(query.from)},
            {"to", day_text(query.to)},
            {"granularity", query.granularity == Granularity::day ? "day" : "month"},
            {"timezone", timezone},
            {"areas", std::move(areas)}};
}

}  // namespace lykta::stats
