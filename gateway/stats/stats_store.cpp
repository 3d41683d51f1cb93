#include "gateway/stats/stats_store.hpp"

#include <algorithm>

namespace lykta::stats {
namespace {

const std::vector<std::string> migrations = {
    "CREATE TABLE stats_day ("
    " area TEXT NOT NULL, day TEXT NOT NULL,"
    " lit_s REAL NOT NULL, flagged_s REAL NOT NULL, safety_s REAL NOT NULL,"
    " estimated_wh REAL NOT NULL, metered_wh REAL NOT NULL, metered INTEGER NOT NULL,"
    " safety_extra_wh REAL NOT NULL, required_lum_s REAL NOT NULL, lit_ok_lum_s REAL NOT NULL,"
    " faults_raised INTEGER NOT NULL, repairs INTEGER NOT NULL, repair_s REAL NOT NULL,"
    " PRIMARY KEY (area, day));",
    "ALTER TABLE stats_day ADD COLUMN burn_lum_s REAL NOT NULL DEFAULT 0;",
    // The meter counter reading the saved figures have been credited up to.
    "CREATE TABLE stats_meter_baseline (meter TEXT PRIMARY KEY, kwh REAL NOT NULL);",
};

const char* columns =
    "SELECT area, day, lit_s, flagged_s, safety_s, estimated_wh, metered_wh, metered, safety_extra_wh,"
    " required_lum_s, lit_ok_lum_s, faults_raised, repairs, repair_s, burn_lum_s FROM stats_day ";

DayFigures read(const store::Statement& st) {
    DayFigures f;
    f.lit_s = st.column_double(2);
    f.flagged_s = st.column_double(3);
    f.safety_s = st.column_double(4);
    f.estimated_wh = st.column_double(5);
    f.metered_wh = st.column_double(6);
    f.metered = st.column_int(7) != 0;
    f.safety_extra_wh = st.column_double(8);
    f.required_lum_s = st.column_double(9);
    f.lit_ok_lum_s = st.column_double(10);
    f.faults_raised = st.column_int(11);
    f.repairs = st.column_int(12);
    f.repair_s = st.column_double(13);
    f.burn_lum_s = st.column_double(14);
    return f;
}

}  // namespace

StatsStore::StatsStore(store::Database& db) : db_(db) {
    db_.migrate("stats", migrations);
}

std::optional<DayFigures> StatsStore::load(const std::string& area, Day day) {
    auto st = db_.prepare(std::string(columns) + "WHERE area = ? AND day = ?");
    st.bind_all(area, day_text(day));
    if (!st.step()) return std::nullopt;
    return read(st);
}

void StatsStore::save(const std::vector<DayRow>& rows, const std::map<std::string, double>& baselines) {
    if (rows.empty() && baselines.empty()) return;
    db_.transaction([&] {
        auto base = db_.prepare("INSERT OR REPLACE INTO stats_meter_baseline (meter, kwh) VALUES (?, ?)");
        for (const auto& [meter, kwh] : baselines) {
            base.reset();
            base.bind_all(meter, kwh);
            base.step();
        }
        auto st = db_.prepare(
            "INSERT OR REPLACE INTO stats_day (area, day, lit_s, flagged_s, safety_s, estimated_wh, "
            "metered_wh,"
            " metered, safety_extra_wh, required_lum_s, lit_ok_lum_s, faults_raised, repairs, repair_s, "
            "burn_lum_s)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (const auto& row : rows) {
            const auto& f = row.figures;
            st.reset();
            st.bind_all(row.area, day_text(row.day), f.lit_s, f.flagged_s, f.safety_s, f.estimated_wh,
                        f.metered_wh, std::int64_t{f.metered ? 1 : 0}, f.safety_extra_wh, f.required_lum_s,
                        f.lit_ok_lum_s, f.faults_raised, f.repairs, f.repair_s, f.burn_lum_s);
            st.step();
        }
    });
}

std::vector<DayRow> StatsStore::range(Day first, Day last, const std::vector<std::string>& areas) {
    auto st = db_.prepare(std::string(columns) + "WHERE day >= ? AND day <= ? ORDER BY area, day");
    st.bind_all(day_text(first), day_text(last));
    std::vector<DayRow> out;
    while (st.step()) {
        auto area = st.column_text(0);
        if (!areas.empty() && std::find(areas.begin(), areas.end(), area) == areas.end()) continue;
        auto day = parse_day(st.column_text(1));
        if (!day) continue;
        out.push_back({std::move(area), *day, read(st)});
    }
    return out;
}

std::optional<double> StatsStore::meter_baseline(const std::string& meter) {
    auto st = db_.prepare("SELECT kwh FROM stats_meter_baseline WHERE meter = ?");
    st.bind_all(meter);
    if (!st.step()) return std::nullopt;
    return st.column_double(0);
}

std::vector<std::string> StatsStore::areas() {
    auto st = db_.prepare("SELECT DISTINCT area FROM stats_day ORDER BY area");
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.column_text(0));
    return out;
}

}  // namespace lykta::stats
