// The accounting timers run on even when a run throws (issue 21: a store that
// refused one write used to stop statistics flushes and telemetry for good).
#include <catch2/catch.hpp>

#include "gateway/core/rfc3339.hpp"
#include "tests/unit/accounting/rig.hpp"

using namespace lykta;
using namespace lykta::test;
using namespace std::chrono_literals;

namespace {

// The feature with a short flush period on real timers; the store's failures
// are counted (each failing flush reports one) and passed on as in the daemon.
struct TimedRig {
    TempDb db_file;
    config::Config config = site();
    asio::io_context io;
    ManualClock clock{t0()};
    RecordingUplink uplink;
    store::Database db{db_file.path.string()};
    std::unique_ptr<accounting::AccountingFeature> feature;
    int store_failures = 0;
    int escaped = 0;  // exceptions out of the loop (the daemon's run() logs and goes on)

    TimedRig() {
        config.statistics.flush_s = 0.05;
        feature = std::make_unique<accounting::AccountingFeature>(io, config, uplink, db, clock);
        db.set_failure_listener([this](const std::string& what) {
            ++store_failures;
            feature->on_store_failure(what);
        });
        feature->start();
    }
    ~TimedRig() {
        db.set_failure_listener(nullptr);
        feature->stop();
    }
    // Runs the loop until `done` (true) or 10 s have passed (false).
    template <class Done>
    bool run_until(Done done) {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            if (io.stopped()) io.restart();
            try {
                io.run_one_for(20ms);
            } catch (const store::StoreError&) {
                ++escaped;
            }
        }
        return done();
    }
};

}  // namespace

TEST_CASE(
    "a store failing for three flush periods keeps storage_failure, then the flushes resume and no day "
    "figures are lost") {
    TimedRig rig;
    rig.clock.advance(60s);
    rig.feature->on_sweep(luminaires::make_sweep(rig.config, rig.config.dali.buses[0],
                                                 {gear(0, 100), gear(1, 100)},
                                                 true));                     // both burn
    REQUIRE(rig.run_until([&] { return !rig.uplink.telemetry_.empty(); }));  // flushes run

    rig.db.exec("PRAGMA query_only = 1");  // the medium refuses writes, as a read-only remount does
    for (int period = 1; period <= 3; ++period) {
        rig.clock.advance(1h);
        const int before = rig.store_failures;
        // This period's flush failed, and storage_failure is raised (deferred to the loop) or kept.
        REQUIRE(rig.run_until([&] { return rig.store_failures > before && rig.feature->storage().fault(); }));
    }
    CHECK(rig.escaped == 0);

    rig.db.exec("PRAGMA query_only = 0");  // the store recovers
    rig.clock.advance(1h);
    const auto published = rig.uplink.telemetry_.size();
    REQUIRE(rig.run_until([&] { return rig.uplink.telemetry_.size() > published; }));  // a flush ran again
    REQUIRE(rig.run_until([&] { return !rig.feature->storage().fault(); }));           // the probe cleared it

    // The four hours since the sweep, the three failing ones included, are in the store.
    const auto day = lykta::rfc3339_utc(rig.clock.now());
    auto report = call(rig.uplink, "report/get", {{"from", day}, {"to", day}});
    REQUIRE(report["status"] == "ok");
    auto series = report["data"]["areas"][0]["series"];
    REQUIRE(series.size() == 1);
    CHECK(series[0]["burn_hours"].get<double>() == Approx(2 * 4.0).margin(5e-4));
}
