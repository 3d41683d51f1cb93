#pragma once
// Faults and statistics wired into the running daemon: owns the FaultBook and
// the StatsRecorder, turns what the luminaires (DALI sweeps), meters (Modbus
// polls) and lighting (targets, safety flags) rooms report into observations
// and recorded state, registers faults/list, faults/ack, faults/report and
// report/get on the uplink, and runs the flush/telemetry and prune timers.
// Loop thread only; every observer entry point takes the time it is told.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "drivers/dali/bus.hpp"
#include "gateway/accounting/storage_fault.hpp"
#include "gateway/api/feature.hpp"
#include "gateway/api/uplink.hpp"
#include "gateway/cabinet/meter_observer.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/periodic.hpp"
#include "gateway/core/timers.hpp"
#include "gateway/faults/fault_book.hpp"
#include "gateway/faults/target_tracker.hpp"
#include "gateway/lighting/lighting_observer.hpp"
#include "gateway/luminaires/sweep.hpp"
#include "gateway/stats/stats_recorder.hpp"
#include "gateway/store/database.hpp"

namespace lykta::accounting {

class AccountingFeature final : public Feature,
                                public lighting::LightingObserver,
                                public cabinet::MeterObserver {
public:
    // Registers the commands on `uplink` (before the uplink starts, so P/info lists them).
    // `config` must outlive the feature (App keeps it for its whole run).
    AccountingFeature(Timers& timers, const config::Config& config, Uplink& uplink, store::Database& db,
                      const Clock& clock);
    ~AccountingFeature() override;

    void start() override;  // P/alarms once, then the timers
    void stop() override;   // cancels the timers, flushes the statistics

    // LuminairesFeature status observer: one DALI sweep of `bus`.
    void on_sweep(const luminaires::Sweep& sweep);

    void on_targets(SystemTime at, const std::vector<lighting::LuminaireTarget>& targets) override;
    void on_safety(SystemTime at, const std::string& area, bool in_force) override;
    void on_photocell(SystemTime at, const std::string& photocell, const std::vector<std::string>& areas,
                      bool disagreement, const std::string& detail) override;
    // One clock assessment (lighting/clock_watch.hpp): `unsynchronised` when the
    // kernel says so, `jumped` when the wall clock stepped since the last one.
    void on_clock(SystemTime at, bool unsynchronised, bool jumped, const std::string& detail);

    void on_status(const cabinet::MeterStatus& status) override;
    void on_energy(const std::string& meter, const std::vector<std::string>& areas, double kwh,
                   SystemTime ts) override;

    // The uplink's credential files cannot be read (`problem` says which and why)
    // or can again (empty): raises or clears uplink_credentials.
    void on_uplink_credentials(SystemTime at, const std::string& problem);

    // The store's failure listener (store::Database::set_failure_listener): a
    // write failed because of the medium. Raises storage_failure (in memory,
    // in P/alarms) until a probe write works again. Safe inside a store call.
    void on_store_failure(const std::string& what) { storage_->report(what); }

    // The timers' work, callable directly (tests run them in virtual time).
    void flush();                // held fault writes, statistics up to now, then P/telemetry
    int prune();                 // cleared faults past the retention
    nlohmann::json telemetry();  // the counters one flush publishes, one message per area and meter

    faults::FaultBook& book() { return *book_; }
    StorageFault& storage() { return *storage_; }
    stats::StatsRecorder& recorder() { return stats_; }

private:
    // What the feature knows of one luminaire: one flat row per luminaire instead of
    // a map node keyed by its id per fact (~0.4 MB less heap at 1,024 luminaires).
    struct Recorded {  // the figures of the last stats::LuminaireState told to the recorder
        double level = 0;
        double target = 0;
        double normal_level = 0;
        friend bool operator==(const Recorded&, const Recorded&) = default;
    };
    struct Known {
        std::optional<double> level;   // read-back percent from the last sweep; none while unanswered
        std::optional<double> target;  // the policy's target; none until it told one
        double normal_level = 0;       // what the schedule alone would give
        std::optional<Recorded> recorded;
    };
    // The row of a configured luminaire id; nullptr for an unknown id.
    Known* known(const std::string& luminaire_id);
    const config::Luminaire& luminaire_of(const Known& known) const;
    void record(SystemTime t, const config::Luminaire& luminaire, Known& known);
    std::map<std::string, double> estimated_w() const;  // per area, from read-back levels
    bool unpowered(const std::string& area) const;      // behind a contactor that is off
    void publish_alarms(nlohmann::json payload);        // the book's P/alarms plus storage_failure
    void flush_fault_counts();                          // statistics now, after a fault was raised or cleared

    const config::Config& config_;
    Uplink& uplink_;
    const Clock& clock_;
    stats::StatsRecorder stats_;
    std::unique_ptr<StorageFault> storage_;
    std::unique_ptr<faults::FaultBook> book_;
    faults::TargetTracker targets_;
    std::vector<Known> known_;                                         // config_.luminaires order
    std::unordered_map<std::string_view, std::size_t> index_;          // into known_, by luminaire id
    std::map<std::string, double> meter_kwh_;                          // last lifetime counter per meter
    std::map<std::string, std::vector<std::string>> unpowered_areas_;  // by meter, from its status
    // A store refusing a run's writes has raised storage_failure through its
    // listener; the figures stay in memory and the next run writes them.
    PeriodicJob flush_job_;
    PeriodicJob prune_job_;
};

}  // namespace lykta::accounting
