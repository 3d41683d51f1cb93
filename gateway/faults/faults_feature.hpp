#pragma once
// Faults in the running daemon: owns the FaultBook, turns what the luminaires
// (DALI sweeps), cabinet (Modbus statuses), lighting (targets, safety flags,
// photocells) and clock watch report into observations, raises
// storage_failure and uplink_credentials, publishes P/alarms, registers
// faults/list, faults/ack and faults/report on the uplink, and runs the prune
// and held-writes timers. Raises and repairs go to its listeners (App feeds
// the statistics from them). Loop thread only; every observer entry point
// takes the time it is told.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/api/feature.hpp"
#include "gateway/api/uplink.hpp"
#include "gateway/cabinet/meter_observer.hpp"
#include "gateway/config/luminaire_rows.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/periodic.hpp"
#include "gateway/core/timers.hpp"
#include "gateway/faults/fault_book.hpp"
#include "gateway/faults/storage_fault.hpp"
#include "gateway/faults/target_tracker.hpp"
#include "gateway/lighting/lighting_observer.hpp"
#include "gateway/luminaires/sweep.hpp"
#include "gateway/store/database.hpp"

namespace lykta::faults {

// A fault that was stored as raised, or cleared because its condition went
// away (a repair). Retired faults (target left the config) are neither.
struct FaultListener {
    std::function<void(const Fault&)> raised;
    std::function<void(const Fault&)> cleared;
};

class FaultsFeature final : public Feature, public lighting::LightingObserver, public cabinet::MeterObserver {
public:
    // Registers the commands on `uplink` (before the uplink starts, so P/info lists them).
    // `config` must outlive the feature (App keeps it for its whole run).
    FaultsFeature(Timers& timers, const config::Config& config, Uplink& uplink, store::Database& db,
                  const Clock& clock);
    ~FaultsFeature() override;

    void start() override;  // retires faults of what the config lost, P/alarms once, then the timers
    void stop() override;   // cancels the timers

    // Listeners must outlive the feature (App's features die together).
    void add_listener(FaultListener listener) { listeners_.push_back(std::move(listener)); }

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

    // The uplink's credential files cannot be read (`problem` says which and why)
    // or can again (empty): raises or clears uplink_credentials.
    void on_uplink_credentials(SystemTime at, const std::string& problem);

    // The store's failure listener (store::Database::set_failure_listener): a
    // write failed because of the medium. Raises storage_failure (in memory,
    // in P/alarms) until a probe write works again. Safe inside a store call.
    void on_store_failure(const std::string& what) { storage_->report(what); }

    // The timers' work, callable directly (tests run them in virtual time).
    void retry_held();  // fault writes the store refused, unless storage_failure's probe will
    int prune();        // cleared faults past the retention

    FaultBook& book() { return *book_; }
    StorageFault& storage() { return *storage_; }

private:
    bool unpowered(const std::string& area) const;  // behind a contactor that is off
    void publish_alarms(nlohmann::json payload);    // the book's P/alarms plus storage_failure

    const config::Config& config_;
    Uplink& uplink_;
    const Clock& clock_;
    std::vector<FaultListener> listeners_;
    std::unique_ptr<StorageFault> storage_;
    std::unique_ptr<FaultBook> book_;
    TargetTracker targets_;
    // Read-back percent per luminaire from the last sweep (none while unanswered):
    // what a meter's expected power is computed from (energy_anomaly).
    config::LuminaireRows<std::optional<double>> levels_;
    std::map<std::string, std::vector<std::string>> unpowered_areas_;  // by meter, from its status
    PeriodicJob held_job_;
    PeriodicJob prune_job_;
};

}  // namespace lykta::faults
