// Faults counted in the statistics as App wires them (count_faults,
// area_fault): first the pieces by hand (detector observations into the fault
// book, whose sink feeds the recorder; policy and read-back states into the
// recorder; telemetry counters at the end), then the two features together.
#include <catch2/catch.hpp>

#include "gateway/app/fault_statistics.hpp"
#include "gateway/core/rfc3339.hpp"
#include "gateway/faults/detectors.hpp"
#include "gateway/faults/fault_book.hpp"
#include "gateway/faults/target_tracker.hpp"
#include "gateway/faults/time_text.hpp"
#include "gateway/stats/stats_commands.hpp"
#include "gateway/stats/stats_recorder.hpp"
#include "tests/unit/app/faults_and_stats_rig.hpp"

using namespace lykta;
using namespace std::chrono_literals;

TEST_CASE("a night of sweeps: lamp failure raised, escalated, repaired, counted", "[app][composed]") {
    store::Database db(":memory:");
    // 2026-11-24 16:00Z = 17:00 in Stockholm
    ManualClock clock(lykta::parse_rfc3339("2026-11-24T16:00:00Z").value());
    stats::StatsRecorder recorder(db, "Europe/Stockholm");
    std::vector<nlohmann::json> alarms;
    faults::FaultSink sink{[&](nlohmann::json a) { alarms.push_back(std::move(a)); }, nullptr,
                           [&](const faults::Fault& f) { recorder.fault_raised(area_fault(f)); },
                           [&](const faults::Fault& f) { recorder.fault_cleared(area_fault(f)); }};
    faults::FaultSettings settings;
    faults::FaultBook book(db, clock, settings, sink);
    faults::TargetTracker targets;

    bool lamp_ok = true;
    auto sweep = [&] {
        auto now = clock.now();
        auto target = targets.update("L-1", 100, now);
        double level = lamp_ok ? 100 : 0;
        book.observe(faults::observe_gear(now, {"L-1", "park", true, !lamp_ok, false, level}, target,
                                          settings.detection));
        recorder.luminaire(now, {"L-1", "park", 100, level, 100, 100});
    };
    recorder.safety(clock.now(), "park", true);
    book.set_safety("park", true);
    for (int i = 0; i < 60; ++i) {  // one sweep a minute, 17:00–18:00
        if (i == 10) lamp_ok = false;
        if (i == 40) lamp_ok = true;
        sweep();
        clock.advance(1min);
    }
    // raised at the 2nd failing sweep (17:11), as critical under the flag
    REQUIRE_FALSE(alarms.empty());
    auto history = book.history("park", 10);
    REQUIRE(history.size() == 1);
    CHECK(lykta::rfc3339_utc(history[0].since) == "2026-11-24T16:11:00Z");
    CHECK(lykta::rfc3339_utc(*history[0].cleared_at) == "2026-11-24T16:41:00Z");
    CHECK(history[0].severity == faults::Severity::critical);
    bool saw_critical = false;
    for (const auto& a : alarms)
        for (const auto& f : a["active"]) saw_critical = saw_critical || f["severity"] == "critical";
    CHECK(saw_critical);

    auto counters = recorder.telemetry(clock.now());
    CHECK(counters["day"] == "2026-11-24");
    const auto& park = counters["areas"]["park"];
    CHECK(park["lit_hours"] == Approx(1.0));
    CHECK(park["safety_hours"] == Approx(1.0));
    CHECK(park["faults_raised"] == 1);
    CHECK(park["burn_hours"] == Approx(0.5));
    // 100 W for the 30 lit minutes outside the failure (17:00–17:10, 17:40–18:00)
    CHECK(park["energy_kwh"] == Approx(0.05));
    CHECK(park["energy_source"] == "estimated");

    std::optional<nlohmann::json> answer;
    stats::handle_report_get(recorder, clock, nullptr, {{"from", "2026-11-24"}, {"to", "2026-11-24"}},
                             api::Responder([&](nlohmann::json b) { answer = std::move(b); }));
    REQUIRE(answer);
    const auto& day = (*answer)["data"]["areas"][0]["series"][0];
    CHECK(day["mttr_hours"] == Approx(0.5));
    CHECK(day["availability_flagged_pct"] == Approx(50.0));  // dark 17:10–17:40 of 17:00–18:00
}

TEST_CASE("statistics: read-back, meter energy and faults reach report/get and P/telemetry") {
    test::FaultsAndStats rig;
    rig.sweep({test::gear(0, 100), test::gear(1, 50, true)});  // L-2 failed: no light
    rig.sweep({test::gear(0, 100), test::gear(1, 50, true)});  // lamp_failure raised: a fault in torget
    rig.on_energy("m1", {"torget"}, 1000.0, rig.clock.now());  // baseline
    rig.clock.advance(1h);  // the flush job published telemetry during the hour too
    rig.on_energy("m1", {"torget"}, 1000.5, rig.clock.now());
    const auto earlier = rig.uplink.telemetry_.size();
    rig.flush();

    auto day = lykta::rfc3339_utc(rig.clock.now());
    auto report = test::call(rig.uplink, "report/get", {{"from", day}, {"to", day}});
    REQUIRE(report["status"] == "ok");
    auto series = report["data"]["areas"][0]["series"];
    REQUIRE(series.size() == 1);
    CHECK(series[0]["recorded"] == true);
    CHECK(series[0]["burn_hours"].get<double>() ==
          Approx(1.0 + 60.0 / 3600).margin(5e-4));  // L-1 only; figures are rounded to 3 decimals
    CHECK(series[0]["estimated_kwh"].get<double>() == Approx(0.04 * (1.0 + 60.0 / 3600)).margin(5e-4));
    CHECK(series[0]["metered_kwh"].get<double>() == Approx(0.5));
    CHECK(series[0]["energy_source"] == "metered");
    CHECK(series[0]["faults_raised"] == 1);

    REQUIRE(rig.uplink.telemetry_.size() == earlier + 2);
    auto energy = rig.uplink.telemetry_[earlier];
    CHECK(energy["kind"] == "energy");
    CHECK(energy["area"] == "torget");
    CHECK(energy["kwh"].get<double>() == Approx(0.5));
    CHECK(rig.uplink.telemetry_[earlier + 1] ==
          nlohmann::json{{"kind", "meter"}, {"meter", "m1"}, {"kwh", 1000.5}});
}
