// The faults and statistics timers run on even when a run throws (issue 21: a store that
// refused one write used to stop statistics flushes and telemetry for good).
#include <catch2/catch.hpp>

#include "gateway/core/rfc3339.hpp"
#include "tests/unit/app/faults_and_stats_rig.hpp"

using namespace lykta;
using namespace lykta::test;
using namespace std::chrono_literals;

namespace {

// The features on virtual time with the real flush period (300 s); the
// store's failures are counted (each failing flush reports one) and passed on
// as in the daemon.
struct TimedRig : FaultsAndStats {
    int store_failures = 0;
    int escaped = 0;  // exceptions out of a timer callback (the daemon's run() logs and goes on)

    TimedRig() {
        db->set_failure_listener([this](const std::string& what) {
            ++store_failures;
            faults->on_store_failure(what);
        });
    }
    ~TimedRig() {
        db->set_failure_listener(nullptr);
        db->exec("PRAGMA query_only = 0");  // a failed REQUIRE may leave the store refusing stop()'s flush
        stop();
    }
    void advance(ManualClock::Duration d) {
        try {
            clock.advance(d);
        } catch (const store::StoreError&) {
            ++escaped;
        }
    }
};

}  // namespace

TEST_CASE(
    "a store failing for three flush periods keeps storage_failure, then the flushes resume and no day "
    "figures are lost") {
    const auto flush_period = 300s;
    TimedRig rig;
    REQUIRE(rig.config.statistics.flush_s == 300);
    rig.advance(60s);
    const auto lit_at = rig.clock.now();
    rig.on_sweep(luminaires::make_sweep(rig.config, rig.config.dali.buses[0], {gear(0, 100), gear(1, 100)},
                                        true));  // both burn
    rig.advance(flush_period - 60s);
    REQUIRE(rig.uplink.telemetry_.size() == 1);  // the first flush ran

    rig.db->exec("PRAGMA query_only = 1");  // the medium refuses writes, as a read-only remount does
    for (int period = 1; period <= 3; ++period) {
        const int before = rig.store_failures;
        rig.advance(flush_period);
        // This period's flush failed, and storage_failure is raised or kept.
        CHECK(rig.store_failures > before);
        REQUIRE(rig.faults->storage().fault());
    }
    CHECK(rig.escaped == 0);

    rig.db->exec("PRAGMA query_only = 0");  // the store recovers
    const auto published = rig.uplink.telemetry_.size();
    rig.advance(faults::StorageFault::probe_period);
    CHECK_FALSE(rig.faults->storage().fault());  // the probe cleared it
    rig.advance(flush_period - faults::StorageFault::probe_period);
    CHECK(rig.uplink.telemetry_.size() > published);  // a flush ran again
    CHECK(rig.escaped == 0);

    // The time since the sweep, the three failing periods included, is in the store.
    const auto day = lykta::rfc3339_utc(rig.clock.now());
    auto report = call(rig.uplink, "report/get", {{"from", day}, {"to", day}});
    REQUIRE(report["status"] == "ok");
    auto series = report["data"]["areas"][0]["series"];
    REQUIRE(series.size() == 1);
    const double hours = std::chrono::duration<double>(rig.clock.now() - lit_at).count() / 3600;
    CHECK(hours == Approx(1440.0 / 3600));
    CHECK(series[0]["burn_hours"].get<double>() == Approx(2 * hours).margin(5e-4));
}
