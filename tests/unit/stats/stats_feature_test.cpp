#include <catch2/catch.hpp>

#include "gateway/core/rfc3339.hpp"
#include "gateway/stats/stats_feature.hpp"
#include "tests/unit/support/feature_rig.hpp"

using namespace lykta;
using namespace lykta::test;
using namespace std::chrono_literals;

namespace {
using Rig = FeatureRig<stats::StatsFeature>;
}  // namespace

TEST_CASE("the statistics feature registers report/get and publishes nothing at start") {
    Rig rig;
    CHECK(rig.uplink.commands.count("report/get") == 1);
    CHECK(rig.uplink.commands.size() == 1);
    CHECK(rig.uplink.states.empty());
    CHECK(rig.uplink.telemetry_.empty());
}

TEST_CASE("the timers flush and publish telemetry every flush_s") {
    Rig rig;                                  // statistics.flush_s: 300
    rig.sweep({gear(0, 100), gear(1, 100)});  // 60 s after the start
    rig.clock.advance(239s);
    CHECK(rig.uplink.telemetry_.empty());
    rig.clock.advance(1s);
    REQUIRE_FALSE(rig.uplink.telemetry_.empty());
    CHECK(rig.uplink.telemetry_[0]["kind"] == "energy");
    const auto first = rig.uplink.telemetry_.size();
    rig.clock.advance(299s);
    CHECK(rig.uplink.telemetry_.size() == first);
    rig.clock.advance(1s);
    CHECK(rig.uplink.telemetry_.size() == 2 * first);  // and again one period later
    rig.feature->stop();
    rig.clock.advance(1h);
    CHECK(rig.uplink.telemetry_.size() == 2 * first);  // stopped: no more
}

namespace {

double metered_kwh_today(Rig& rig) {
    auto day = lykta::rfc3339_utc(rig.clock.now());
    auto report = call(rig.uplink, "report/get", {{"from", day}, {"to", day}});
    REQUIRE(report["status"] == "ok");
    REQUIRE(report["data"]["areas"].size() == 1);
    return report["data"]["areas"][0]["series"][0]["metered_kwh"].get<double>();
}

}  // namespace

TEST_CASE("meter energy across a clean restart is neither lost nor counted twice") {
    Rig rig;
    rig.sweep({gear(0, 100), gear(1, 100)});
    rig.feature->on_energy("m1", {"torget"}, 1000.0, rig.clock.now());  // first reading ever: baseline
    rig.clock.advance(1h);
    rig.feature->on_energy("m1", {"torget"}, 1000.5, rig.clock.now());
    rig.restart();  // stop() flushes figures and baseline together
    rig.clock.advance(1h);
    // The meter counted 0.25 kWh while the daemon was down and 0.25 since.
    rig.feature->on_energy("m1", {"torget"}, 1001.0, rig.clock.now());
    rig.feature->flush();
    CHECK(metered_kwh_today(rig) == Approx(1.0));
    // The same reading again (a periodic full publish) adds nothing.
    rig.feature->on_energy("m1", {"torget"}, 1001.0, rig.clock.now());
    rig.feature->flush();
    CHECK(metered_kwh_today(rig) == Approx(1.0));
}

TEST_CASE("meter energy after a crash resumes from the last flush") {
    Rig rig;
    rig.sweep({gear(0, 100), gear(1, 100)});
    rig.feature->on_energy("m1", {"torget"}, 1000.0, rig.clock.now());
    rig.clock.advance(1h);
    rig.feature->on_energy("m1", {"torget"}, 1000.5, rig.clock.now());
    rig.feature->flush();  // 0.5 kWh and baseline 1000.5 saved together
    rig.clock.advance(1h);
    rig.feature->on_energy("m1", {"torget"}, 1000.8, rig.clock.now());  // credited in memory only

    // Killed: no stop(), no flush; the store holds what the last flush wrote.
    rig.feature.reset();
    rig.db = std::make_unique<store::Database>(rig.db_file.path.string());
    rig.uplink = test::RecordingUplink{};
    rig.open();
    rig.clock.advance(1h);
    rig.feature->on_energy("m1", {"torget"}, 1001.2, rig.clock.now());
    rig.feature->flush();
    CHECK(metered_kwh_today(rig) == Approx(1.2));  // 1000.0 → 1001.2, each kWh once

    // A replaced meter (counter back to near 0) starts a new baseline.
    rig.clock.advance(1h);
    rig.feature->on_energy("m1", {"torget"}, 3.0, rig.clock.now());
    rig.clock.advance(1h);
    rig.feature->on_energy("m1", {"torget"}, 3.5, rig.clock.now());
    rig.feature->flush();
    CHECK(metered_kwh_today(rig) == Approx(1.7));
}

TEST_CASE("faults are counted per area as raised and repaired, and stored at once") {
    Rig rig;
    const auto raised = rig.clock.now();
    rig.clock.advance(30min);
    rig.feature->on_fault_raised({"torget", raised, std::nullopt});
    rig.feature->on_fault_raised({"", raised, std::nullopt});  // a bus fault: no area, not counted
    // Stored at once: a recorder opened on the same store (a restart after kill -9) sees it.
    stats::StatsRecorder after_kill(*rig.db, rig.config.site.timezone);
    CHECK(after_kill.telemetry(rig.clock.now())["areas"].empty());  // it knows no area state yet ...
    auto stored = after_kill.store().load("torget", after_kill.calendar().day_of(raised));
    REQUIRE(stored);
    CHECK(stored->faults_raised == 1);  // ... but the day row has the count

    rig.clock.advance(2h);
    rig.feature->on_fault_cleared({"torget", raised, rig.clock.now()});
    auto day = lykta::rfc3339_utc(rig.clock.now());
    auto report = call(rig.uplink, "report/get", {{"from", day}, {"to", day}});
    REQUIRE(report["status"] == "ok");
    REQUIRE(report["data"]["areas"].size() == 1);
    auto series = report["data"]["areas"][0]["series"];
    REQUIRE(series.size() == 1);
    CHECK(series[0]["faults_raised"] == 1);
    CHECK(series[0]["repairs"] == 1);
    CHECK(series[0]["mttr_hours"].get<double>() == Approx(2.5));
}
