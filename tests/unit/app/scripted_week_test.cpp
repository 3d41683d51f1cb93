// A scripted week through the faults and statistics features as the daemon
// wires them: DALI sweeps (read-back levels, a lamp failure raised and cleared by the real
// debounce), policy targets with their normal levels, a safety flag, an
// override, meter counters and a restart in the middle of a night; checked
// against hand-computed figures. Europe/Stockholm, UTC+1 in November.
//
// torget: L-1 40 W, L-2 60 W (100 W). Every night 17:00–23:00 at 100 %,
// 23:00–07:00 at 50 %: 14 lit hours, 0.6 + 0.4 = 1.0 kWh estimated, 28
// burn hours. The meter counts 1.2 kWh a night (read at 07:00).
//  - night of 24: safety flag 22:00–06:00 holds 100 % where the normal
//    profile gives 50 % from 23:00; L-2's lamp fails at 02:00, is repaired Wed
//    25 at 10:00 (raised and cleared one sweep later: debounce 2).
//  - night of 25: override 100 % 23:00–01:00 (no flag).
//  - night of 27: the daemon restarts at 03:00 (after a meter reading at 01:00).
#include <catch2/catch.hpp>

#include <date/tz.h>

#include "gateway/core/rfc3339.hpp"
#include "tests/unit/app/faults_and_stats_rig.hpp"

using namespace lykta;
using namespace lykta::test;
using namespace std::chrono_literals;

namespace {

SystemTime at(int day, int hour, int minute = 0) {
    static const auto* zone = date::locate_zone("Europe/Stockholm");
    auto local = date::local_days(date::year(2026) / 11 / 1) + date::days(day - 1) +
                 std::chrono::hours(hour) + std::chrono::minutes(minute);
    return SystemTime(zone->to_sys(local));
}

struct Week {
    FaultsAndStats rig;
    double level[2] = {0, 0};
    bool failed = false;  // L-2's lamp
    double counter = 5000;

    void sweep(SystemTime t) {
        rig.clock.set(t);
        rig.on_sweep(luminaires::make_sweep(rig.config, rig.config.dali.buses[0],
                                            {gear(0, level[0]), gear(1, failed ? 0 : level[1], failed)},
                                            true));
    }
    // The policy sets both luminaires; the gear follows at once (fade 0), as the next sweep reads back.
    void target(SystemTime t, double target, double normal, const std::string& source = "schedule") {
        rig.clock.set(t);
        rig.on_targets(
            t, {{"L-1", "torget", target, normal, 0, source}, {"L-2", "torget", target, normal, 0, source}});
        level[0] = level[1] = target;
        sweep(t);
    }
    void meter(SystemTime t, double kwh) {
        counter += kwh;
        rig.clock.set(t);
        rig.on_energy("m1", {"torget"}, counter, t);
    }
};

const nlohmann::json& day_of(const nlohmann::json& series, const std::string& day) {
    for (const auto& d : series)
        if (d["period"] == day) return d;
    FAIL("no day " << day);
    return series;
}

}  // namespace

TEST_CASE("a scripted week through the faults and statistics features matches the hand-computed figures",
          "[app][week]") {
    Week w;
    std::vector<nlohmann::json> first_run_raised;
    w.rig.clock.set(at(23, 16));
    w.rig.on_safety(at(23, 16), "torget", false);
    w.meter(at(23, 16), 0);  // the first reading ever: baseline
    for (int night = 23; night <= 29; ++night) {
        w.target(at(night, 17), 100, 100);
        if (night == 24) {
            w.rig.on_safety(at(24, 22), "torget", true);
            w.target(at(24, 23), 100, 50, "safety");
            w.failed = true;
            w.sweep(at(25, 2));
            w.sweep(at(25, 2, 1));  // second failing sweep: raised
            w.rig.on_safety(at(25, 6), "torget", false);
            w.target(at(25, 6), 50, 50);
        } else if (night == 25) {
            w.target(at(25, 23), 100, 50, "override");
            w.target(at(26, 1), 50, 50);
        } else {
            w.target(at(night, 23), 50, 50);
        }
        if (night == 27) {
            w.meter(at(28, 1), 0.5);
            w.rig.clock.set(at(28, 3));
            first_run_raised = events_of(w.rig.uplink, "fault.raised");
            w.rig.restart();  // stop() flushes; the lighting feature reports again at start
            w.rig.on_safety(at(28, 3), "torget", false);
            w.target(at(28, 3), 50, 50);
            w.meter(at(28, 7), 0.7);
        } else {
            w.meter(at(night + 1, 7), 1.2);
        }
        w.target(at(night + 1, 7), 0, 0);
        if (night == 24) {  // repaired in the morning: cleared at the second good sweep
            w.failed = false;
            w.sweep(at(25, 10));
            w.sweep(at(25, 10, 1));
        }
        if (night % 2) w.rig.flush();  // flushes now and then must not change the sums
    }
    w.rig.clock.set(at(30, 12, 30));
    w.rig.flush();

    // Raised before the restart: the uplink of the first run recorded it.
    auto raised = first_run_raised;
    auto report = call(w.rig.uplink, "report/get", {{"from", "2026-11-23"}, {"to", "2026-11-29"}});
    REQUIRE(report["status"] == "ok");
    REQUIRE(report["data"]["areas"].size() == 1);
    const auto& area = report["data"]["areas"][0];
    const auto& series = area["series"];
    REQUIRE(series.size() == 7);

    for (auto day : {"2026-11-23", "2026-11-26", "2026-11-28", "2026-11-29"}) {
        INFO(day);
        const auto& d = day_of(series, day);
        CHECK(d["lit_hours"] == Approx(14));
        CHECK(d["burn_hours"] == Approx(28));
        CHECK(d["estimated_kwh"] == Approx(1.0));
        CHECK(d["metered_kwh"] == Approx(1.2));
        CHECK(d["energy_kwh"] == Approx(1.2));
        CHECK(d["energy_source"] == "metered");
        CHECK(d["safety_hours"] == 0);
        CHECK(d["faults_raised"] == 0);
    }

    const auto& flagged = day_of(series, "2026-11-24");
    CHECK(flagged["lit_hours"] == Approx(14));
    CHECK(flagged["flagged_hours"] == Approx(8));  // 22–06
    CHECK(flagged["safety_hours"] == Approx(8));
    // 100 W 17–02 (0.9), L-1 alone 02–06 (0.16) and at 50 % 06–07 (0.02)
    CHECK(flagged["estimated_kwh"] == Approx(1.08));
    // both luminaires 50 % above normal 23–06, whether lit or not: (40 + 60) W × 0.5 × 7 h
    CHECK(flagged["safety_extra_kwh"] == Approx(0.35));
    CHECK(flagged["burn_hours"] == Approx(14 + 9));  // L-2 dark from 02:00
    // 16 luminaire-hours required under the flag; L-2 dark 02–06
    CHECK(flagged["availability_flagged_pct"] == Approx(75.0));
    CHECK(flagged["faults_raised"] == 1);
    CHECK(flagged["repairs"] == 1);
    CHECK(flagged["mttr_hours"] == Approx(8));  // 02:01 → 10:01, both in lighting day 24

    const auto& overridden = day_of(series, "2026-11-25");
    CHECK(overridden["estimated_kwh"] == Approx(1.1));  // 0.6 + 100 W × 2 h + 50 W × 6 h
    CHECK(overridden["safety_hours"] == 0);
    CHECK(overridden["safety_extra_kwh"] == 0);  // an override is no safety flag
    CHECK(overridden["burn_hours"] == Approx(28));

    // Restarted at 03:00: nothing lost, nothing counted twice, metered included.
    const auto& restarted = day_of(series, "2026-11-27");
    CHECK(restarted["lit_hours"] == Approx(14));
    CHECK(restarted["burn_hours"] == Approx(28));
    CHECK(restarted["estimated_kwh"] == Approx(1.0));
    CHECK(restarted["metered_kwh"] == Approx(1.2));

    const auto& total = area["total"];
    CHECK(total["lit_hours"] == Approx(98));
    CHECK(total["burn_hours"] == Approx(28 * 6 + 23));
    CHECK(total["estimated_kwh"] == Approx(5 * 1.0 + 1.08 + 1.1));
    CHECK(total["metered_kwh"] == Approx(7 * 1.2));
    CHECK(total["safety_hours"] == Approx(8));
    CHECK(total["faults_raised"] == 1);

    REQUIRE(raised.size() == 1);
    CHECK(raised[0]["fault"]["kind"] == "lamp_failure");
    CHECK(raised[0]["fault"]["target"] == "luminaire/L-2");
    CHECK(raised[0]["fault"]["severity"] == "critical");  // major, one step up under the flag
    CHECK(raised[0]["fault"]["since"] == lykta::rfc3339_utc(at(25, 2, 1)));
    auto history = call(w.rig.uplink, "faults/list", {{"active_only", false}});
    REQUIRE(history["data"]["faults"].size() == 1);
    CHECK(history["data"]["faults"][0]["cleared"] == lykta::rfc3339_utc(at(25, 10, 1)));
}
