#pragma once
// The town-wide report (pure): `report/get` answers of many gateways (monthly
// granularity, docs/statistics.md) summed per gateway/area, per focus area and
// for the town, for a period and an optional comparison period, with the change.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lykta::ctl {

// Additive sums of report/get figures; the two means are kept as weighted sums.
struct ReportFigures {
    double lit_hours = 0;
    double safety_hours = 0;
    double flagged_hours = 0;
    double energy_kwh = 0;
    double safety_extra_kwh = 0;
    double available_flagged_hours = 0;  // availability_flagged_pct × flagged_hours / 100
    double faults_raised = 0;
    double repairs = 0;
    double repair_hours = 0;                // mttr_hours × repairs
    void add(const nlohmann::json& entry);  // one series entry or total of report/get
    void add(const ReportFigures& other);
    std::optional<double> availability_flagged_pct() const;
    std::optional<double> mttr_hours() const;
    nlohmann::json to_json() const;
};

struct PeriodAnswers {
    std::string from, to;
    std::map<std::string, nlohmann::json> answers;  // gateway -> report/get data; absent: did not answer
};

struct TownReport {
    PeriodAnswers period;
    std::optional<PeriodAnswers> compare;
    std::vector<std::string> gateways;            // every gateway asked
    std::map<std::string, std::string> focus_of;  // "gateway/area" -> focus area name
    nlohmann::json to_json() const;  // rows, totals, monthly series, missing gateways with their share
};

std::string town_report_csv(const nlohmann::json& report);
std::string town_report_html(const nlohmann::json& report, const std::string& title);

}  // namespace lykta::ctl
