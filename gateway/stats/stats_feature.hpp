#pragma once
// Statistics in the running daemon: owns the StatsRecorder and tells it what
// the luminaires (read-back levels from the DALI sweeps), lighting (targets,
// normal levels, safety flags), cabinet (meter energy) and faults (raises and
// repairs, as AreaFault) rooms report; registers report/get on the uplink,
// flushes every statistics.flush_s and publishes P/telemetry after each flush.
// Loop thread only; every observer entry point takes the time it is told.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/api/feature.hpp"
#include "gateway/api/uplink.hpp"
#include "gateway/cabinet/meter_observer.hpp"
#include "gateway/config/luminaire_rows.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/periodic.hpp"
#include "gateway/core/timers.hpp"
#include "gateway/lighting/lighting_observer.hpp"
#include "gateway/luminaires/sweep.hpp"
#include "gateway/stats/stats_recorder.hpp"
#include "gateway/store/database.hpp"

namespace lykta::stats {

class StatsFeature final : public Feature, public lighting::LightingObserver, public cabinet::MeterObserver {
public:
    // Registers report/get on `uplink` (before the uplink starts, so P/info lists it).
    // `config` must outlive the feature (App keeps it for its whole run).
    StatsFeature(Timers& timers, const config::Config& config, Uplink& uplink, store::Database& db,
                 const Clock& clock);

    void start() override;  // the flush timer
    void stop() override;   // cancels it and flushes

    // LuminairesFeature status observer: one DALI sweep of `bus`.
    void on_sweep(const luminaires::Sweep& sweep);

    void on_targets(SystemTime at, const std::vector<lighting::LuminaireTarget>& targets) override;
    void on_safety(SystemTime at, const std::string& area, bool in_force) override;
    void on_energy(const std::string& meter, const std::vector<std::string>& areas, double kwh,
                   SystemTime ts) override;

    // A fault raised, or cleared as a repair: counted and flushed at once.
    void on_fault_raised(const AreaFault& fault);
    void on_fault_cleared(const AreaFault& fault);

    // The timer's work, callable directly (tests run it in virtual time).
    void flush();                // statistics up to now, then P/telemetry
    nlohmann::json telemetry();  // the counters one flush publishes, one message per area and meter

    StatsRecorder& recorder() { return recorder_; }

private:
    struct Recorded {  // the figures of the last LuminaireState told to the recorder
        double level = 0;
        double target = 0;
        double normal_level = 0;
        friend bool operator==(const Recorded&, const Recorded&) = default;
    };
    struct Known {
        std::optional<double> level;   // percent of light from the last sweep; none while unknown
        std::optional<double> target;  // the policy's target; none until it told one
        double normal_level = 0;       // what the schedule alone would give
        std::optional<Recorded> recorded;
    };
    void record(SystemTime t, Known& known);
    std::map<std::string, double> estimated_w() const;  // per area, from read-back levels
    void flush_fault_counts();                          // statistics now, after a fault was raised or cleared

    const config::Config& config_;
    Uplink& uplink_;
    const Clock& clock_;
    StatsRecorder recorder_;
    config::LuminaireRows<Known> known_;
    std::map<std::string, double> meter_kwh_;  // last lifetime counter per meter
    // A store refusing a run's writes has raised storage_failure through its
    // listener; the figures stay in memory and the next run writes them.
    PeriodicJob flush_job_;
};

}  // namespace lykta::stats
