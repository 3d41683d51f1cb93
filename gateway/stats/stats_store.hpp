#pragma once
// Per area and lighting day figures in SQLite (component "stats").
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/stats/day_figures.hpp"
#include "gateway/stats/lighting_day.hpp"
#include "gateway/store/database.hpp"

namespace lykta::stats {

struct DayRow {
    std::string area;
    Day day;
    DayFigures figures;
};

class StatsStore {
public:
    explicit StatsStore(store::Database& db);  // applies the migrations

    std::optional<DayFigures> load(const std::string& area, Day day);
    // Writes all rows and meter baselines (meter → lifetime counter, kWh) in
    // one transaction (replacing what was there).
    void save(const std::vector<DayRow>& rows, const std::map<std::string, double>& baselines = {});
    std::optional<double> meter_baseline(const std::string& meter);
    // Rows with first <= day <= last, by area then day; `areas` empty = all.
    std::vector<DayRow> range(Day first, Day last, const std::vector<std::string>& areas);
    std::vector<std::string> areas();

private:
    store::Database& db_;
};

}  // namespace lykta::stats
