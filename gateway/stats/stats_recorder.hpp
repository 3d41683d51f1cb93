#pragma once
// The loop-facing statistics recorder. It integrates piecewise-constant state
// between transitions (not samples): the statistics feature reports each
// luminaire's state whenever it changes, each safety flag start/end, meter
// energy deltas and fault raises and repairs; `flush` (a timer, e.g. every 5 min, and on stop)
// accounts the open intervals up to that time and persists the day rows.
//
// Restart: open intervals are closed at the last flush, not at "now": what
// happened between the last flush and the restart is unknown, so it is not
// counted (an undercount of at most one flush period, never invented light).
// After a restart nothing is counted until the feature reports the states again.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/core/clock.hpp"
#include "gateway/stats/lighting_day.hpp"
#include "gateway/stats/stats_store.hpp"

namespace lykta::stats {

struct StatsSettings {
    double lit_ok_ratio = 0.5;  // lit as required: level ≥ ratio × target (as night_outage)
};

// One luminaire's state from now on (feed it on every change of any field).
struct LuminaireState {
    std::string luminaire;
    std::string area;
    double rated_w = 0;
    double level = 0;         // read-back percent; 0 while the gear is dark or unknown
    double target = 0;        // what the policy wants, percent
    double normal_level = 0;  // what the normal (non-safety) schedule would want now
};

// What the statistics count of a fault (faults_raised, repairs, mttr_hours):
// its own value, so this room needs nothing of the faults room; App turns
// the faults feature's raises and clears into it (gateway/app/fault_statistics.hpp).
struct AreaFault {
    std::string area;  // empty: outside any area (a bus, the store), not counted
    SystemTime raised{};
    std::optional<SystemTime> cleared;  // set when it was repaired
};

class StatsRecorder {
public:
    StatsRecorder(store::Database& db, std::string timezone, StatsSettings settings = {});

    void luminaire(SystemTime t, const LuminaireState& state);
    // The luminaire left the config: its interval ends at t.
    void forget_luminaire(SystemTime t, const std::string& luminaire);
    void safety(SystemTime t, const std::string& area, bool in_force);
    // Energy a meter measured for `area` since its previous delta, credited to the lighting day of t.
    void meter_energy(SystemTime t, const std::string& area, double kwh);
    // The meter's lifetime counter (kWh) the energy credited so far reaches up
    // to. Saved by `flush` in the same transaction as the figures, so after a
    // restart or a crash the next delta starts exactly where the saved figures
    // end: nothing counted twice, nothing lost. None: never seen.
    std::optional<double> meter_baseline(const std::string& meter);
    void set_meter_baseline(const std::string& meter, double kwh);
    void fault_raised(const AreaFault& fault);   // counted on the day it was raised
    void fault_cleared(const AreaFault& fault);  // a repair, counted on the day it was cleared

    // Accounts everything up to t and writes the touched day rows.
    void flush(SystemTime t);

    // Counters of the current lighting day per area for P/telemetry (the
    // uplink adds seq): {"day", "areas": {id: {lit_hours, safety_hours, burn_hours,
    // energy_kwh, energy_source, faults_raised}}}. Flushes first.
    nlohmann::json telemetry(SystemTime t);

    const LightingCalendar& calendar() const { return calendar_; }
    StatsStore& store() { return store_; }

private:
    struct Tracked {
        LuminaireState state;
        SystemTime since;
    };
    struct AreaState {
        bool flagged = false;
        int lit = 0;  // luminaires with target > 0
        SystemTime since{};
        bool started = false;
    };

    // The lighting day holding t, from a one-day cache: time zone conversions
    // are the costly part of accounting and almost every t is in the same day.
    struct DaySpan {
        Day day;
        SystemTime start;
        SystemTime end;
    };
    const DaySpan& day_span(SystemTime t);
    DayFigures& figures(const std::string& area, Day day);
    // Calls add(day, seconds) for each lighting-day piece of [from, to).
    template <class Add>
    void split(SystemTime from, SystemTime to, Add add);
    void account_luminaire(Tracked& tracked, SystemTime t);
    void account_area(const std::string& area, AreaState& state, SystemTime t);
    void account_area_members(const std::string& area, SystemTime t);

    StatsStore store_;
    LightingCalendar calendar_;
    StatsSettings settings_;
    std::map<std::string, Tracked> luminaires_;
    std::map<std::string, AreaState> areas_;
    std::map<std::pair<std::string, Day>, DayFigures> rows_;  // touched since the last flush
    std::set<std::pair<std::string, Day>> dirty_;
    std::map<std::string, double> baselines_;        // every meter seen since start
    std::map<std::string, double> dirty_baselines_;  // changed since the last flush
    std::optional<DaySpan> span_;
};

}  // namespace lykta::stats
