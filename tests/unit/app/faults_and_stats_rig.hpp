#pragma once
// The faults and statistics features wired as App wires them (one store, one
// uplink, raises and repairs counted through count_faults), with the other
// rooms' reports fed to both as App's observers receive them.
#include "gateway/app/fault_statistics.hpp"
#include "gateway/faults/faults_feature.hpp"
#include "gateway/stats/stats_feature.hpp"
#include "tests/unit/support/feature_rig.hpp"

namespace lykta::test {

struct FaultsAndStats {
    TempDb db_file;
    config::Config config = site();
    ManualClock clock{t0()};
    ManualTimers timers{clock};
    test::RecordingUplink uplink;
    std::unique_ptr<store::Database> db = std::make_unique<store::Database>(db_file.path.string());
    std::unique_ptr<faults::FaultsFeature> faults;
    std::unique_ptr<stats::StatsFeature> statistics;

    FaultsAndStats() { open(); }
    // Built, wired and started in App's order (faults register their commands
    // first; statistics start first and stop last).
    void open() {
        faults = std::make_unique<faults::FaultsFeature>(timers, config, uplink, *db, clock);
        statistics = std::make_unique<stats::StatsFeature>(timers, config, uplink, *db, clock);
        count_faults(*faults, *statistics);
        statistics->start();
        faults->start();
    }
    void stop() {
        faults->stop();
        statistics->stop();
    }
    // Killed: no stop(), no flush.
    void drop() {
        faults.reset();
        statistics.reset();
    }
    void restart() {
        stop();
        drop();
        db = std::make_unique<store::Database>(db_file.path.string());
        uplink = test::RecordingUplink{};
        open();
    }

    void on_sweep(const luminaires::Sweep& sweep) {
        faults->on_sweep(sweep);
        statistics->on_sweep(sweep);
    }
    void sweep(std::vector<dali::GearStatus> statuses, bool reachable = true) {
        clock.advance(60s);
        on_sweep(luminaires::make_sweep(config, config.dali.buses[0], std::move(statuses), reachable));
    }
    void on_targets(SystemTime at, const std::vector<lighting::LuminaireTarget>& targets) {
        faults->on_targets(at, targets);
        statistics->on_targets(at, targets);
    }
    void on_safety(SystemTime at, const std::string& area, bool in_force) {
        faults->on_safety(at, area, in_force);
        statistics->on_safety(at, area, in_force);
    }
    void on_energy(const std::string& meter, const std::vector<std::string>& areas, double kwh,
                   SystemTime ts) {
        faults->on_energy(meter, areas, kwh, ts);
        statistics->on_energy(meter, areas, kwh, ts);
    }
    // What both timers do at a flush period.
    void flush() {
        faults->retry_held();
        statistics->flush();
    }
};

}  // namespace lykta::test
