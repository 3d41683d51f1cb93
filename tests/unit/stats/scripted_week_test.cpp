// A scripted week in Europe/Stockholm (UTC+1 in November), checked against
// hand-computed figures. Areas: "park" (L-1 100 W, L-2 50 W, estimated
// energy) and "torget" (L-3 200 W, metered). Every night: 17:00–23:00 at
// 100 %, 23:00–07:00 at 50 % (14 lit hours; park 150 W × 10 h = 1.5 kWh).
//  - night of Tue 24: safety flag on park 22:00–06:00 holds 100 % where the
//    normal profile gives 50 % (23:00–06:00: extra 150 W × 50 % × 7 h = 0.525 kWh);
//    L-2's lamp fails at 02:00 (dark until morning) and is repaired Wed 10:00.
//  - night of Wed 25: manual override 100 % 23:00–01:00 (not a safety flag).
// The uplink is irrelevant: the recorder only sees local state.
#include <catch2/catch.hpp>

#include <optional>

#include "gateway/stats/stats_commands.hpp"
#include "gateway/stats/stats_recorder.hpp"

using namespace lykta;
using namespace lykta::stats;
using namespace std::chrono_literals;

namespace {

const auto* stockholm = date::locate_zone("Europe/Stockholm");

// Local wall time on 2026-11-<day> (day may run past 30 into December).
SystemTime at(int day, int hour, int minute = 0) {
    auto local = date::local_days(date::year(2026) / 11 / 1) + date::days(day - 1) +
                 std::chrono::hours(hour) + std::chrono::minutes(minute);
    return SystemTime(stockholm->to_sys(local));
}

struct Park {
    StatsRecorder& r;
    void set(SystemTime t, const std::string& id, double rated, const std::string& area, double level,
             double target, double normal) {
        r.luminaire(t, {id, area, rated, level, target, normal});
    }
    void all(SystemTime t, double level, double target, double normal) {
        set(t, "L-1", 100, "park", level, target, normal);
        set(t, "L-2", 50, "park", level, target, normal);
        set(t, "L-3", 200, "torget", level, target, normal);
    }
};

void run_week(StatsRecorder& r) {
    Park p{r};
    for (int night = 23; night <= 29; ++night) {
        p.all(at(night, 17), 100, 100, 100);
        if (night == 24) {
            r.safety(at(24, 22), "park", true);
            p.set(at(24, 23), "L-1", 100, "park", 100, 100, 50);
            p.set(at(24, 23), "L-2", 50, "park", 100, 100, 50);
            p.set(at(24, 23), "L-3", 200, "torget", 50, 50, 50);
            p.set(at(25, 2), "L-2", 50, "park", 0, 100, 50);  // lamp failure
            AreaFault f{"park", at(25, 2), std::nullopt};     // L-2's lamp_failure
            r.fault_raised(f);
            r.safety(at(25, 6), "park", false);
            p.set(at(25, 6), "L-1", 100, "park", 50, 50, 50);
            p.set(at(25, 6), "L-2", 50, "park", 0, 50, 50);
            f.cleared = at(25, 10);
            r.fault_cleared(f);
        } else if (night == 25) {
            p.all(at(25, 23), 100, 100, 50);  // override
            p.all(at(26, 1), 50, 50, 50);
        } else {
            p.all(at(night, 23), 50, 50, 50);
        }
        p.all(at(night + 1, 7), 0, 0, 0);
        r.meter_energy(at(night + 1, 7), "torget", 2.2);
        if (night % 2) r.flush(at(night + 1, 8));  // flushes now and then must not change the sums
    }
    r.flush(at(30, 12, 30));
}

nlohmann::json report(StatsRecorder& r, const nlohmann::json& args) {
    ManualClock clock(at(30, 13));
    std::optional<nlohmann::json> answer;
    handle_report_get(r, clock, nullptr, args,
                      api::Responder([&](nlohmann::json b) { answer = std::move(b); }));
    REQUIRE(answer);
    return *answer;
}

const nlohmann::json& area_of(const nlohmann::json& rep, const std::string& area) {
    for (const auto& a : rep["data"]["areas"])
        if (a["area"] == area) return a;
    FAIL("no area " << area);
    return rep;
}

}  // namespace

TEST_CASE("lighting days run noon to noon in local time, DST included", "[stats][calendar]") {
    LightingCalendar cal("Europe/Stockholm");
    CHECK(day_text(cal.day_of(at(24, 11, 59))) == "2026-11-23");
    CHECK(day_text(cal.day_of(at(24, 12))) == "2026-11-24");
    CHECK(day_text(cal.day_of(at(25, 7))) == "2026-11-24");
    auto oct24 = *parse_day("2026-10-24");  // DST ends in the night of 24→25 Oct
    CHECK(cal.end_of(oct24) - cal.start_of(oct24) == 25h);
    CHECK_FALSE(parse_day("2026-02-30"));
    CHECK_THROWS_WITH(LightingCalendar("Mars/Olympus"), Catch::Contains("Mars/Olympus"));
}

TEST_CASE("a scripted week, day by day", "[stats][week]") {
    store::Database db(":memory:");
    StatsRecorder r(db, "Europe/Stockholm");
    run_week(r);
    auto rep = report(r, {{"from", "2026-11-23"}, {"to", "2026-11-29"}, {"areas", {"park", "torget"}}});
    REQUIRE(rep["status"] == "ok");
    const auto& park = area_of(rep, "park")["series"];
    REQUIRE(park.size() == 7);
    const auto& normal = park[0];
    CHECK(normal["period"] == "2026-11-23");
    CHECK(normal["lit_hours"] == Approx(14));
    CHECK(normal["energy_kwh"] == Approx(1.5));
    CHECK(normal["energy_source"] == "estimated");
    CHECK(normal["safety_hours"] == 0);
    CHECK(normal["availability_flagged_pct"].is_null());
    CHECK(normal["mttr_hours"].is_null());

    const auto& flagged = park[1];
    CHECK(flagged["lit_hours"] == Approx(14));
    CHECK(flagged["flagged_hours"] == Approx(8));
    CHECK(flagged["safety_hours"] == Approx(8));
    // 0.9 (17–23) + 1.05 (23–06 at 100 %) + 0.075 (06–07 at 50 %) − L-2 dark 02–07 (0.2 + 0.025)
    CHECK(flagged["energy_kwh"] == Approx(1.8));
    CHECK(flagged["safety_extra_kwh"] == Approx(0.525));
    CHECK(flagged["burn_hours"] == Approx(14 + 9));  // L-2 dark from 02:00
    CHECK(normal["burn_hours"] == Approx(28));
    // 16 luminaire-hours required, L-2 dark for 4 of them
    CHECK(flagged["availability_flagged_pct"] == Approx(75.0));
    CHECK(flagged["faults_raised"] == 1);
    CHECK(flagged["repairs"] == 1);
    CHECK(flagged["mttr_hours"] == Approx(8));

    const auto& overridden = park[2];
    CHECK(overridden["energy_kwh"] == Approx(1.65));
    CHECK(overridden["safety_extra_kwh"] == 0);
    CHECK(overridden["faults_raised"] == 0);

    const auto& torget = area_of(rep, "torget")["series"][0];
    CHECK(torget["energy_source"] == "metered");
    CHECK(torget["energy_kwh"] == Approx(2.2));
    CHECK(torget["metered_kwh"] == Approx(2.2));
    CHECK(torget["estimated_kwh"] == Approx(2.0));
}

TEST_CASE("a scripted week, by month", "[stats][week]") {
    store::Database db(":memory:");
    StatsRecorder r(db, "Europe/Stockholm");
    run_week(r);
    auto rep = report(r, {{"from", "2026-10-01"}, {"to", "2026-11-30"}, {"granularity", "month"}});
    REQUIRE(rep["status"] == "ok");
    CHECK(rep["data"]["granularity"] == "month");
    const auto& park = area_of(rep, "park");
    REQUIRE(park["series"].size() == 2);
    CHECK(park["series"][0]["period"] == "2026-10");
    CHECK(park["series"][0]["recorded"] == false);
    const auto& nov = park["series"][1];
    CHECK(nov["period"] == "2026-11");
    CHECK(nov["lit_hours"] == Approx(98));
    CHECK(nov["energy_kwh"] == Approx(5 * 1.5 + 1.8 + 1.65));
    CHECK(nov["safety_hours"] == Approx(8));
    CHECK(nov["availability_flagged_pct"] == Approx(75));
    CHECK(nov["mttr_hours"] == Approx(8));
    CHECK(park["total"]["energy_kwh"] == nov["energy_kwh"]);
    const auto& torget = area_of(rep, "torget")["total"];
    CHECK(torget["energy_kwh"] == Approx(7 * 2.2));
    CHECK(torget["energy_source"] == "metered");
}

TEST_CASE("a restart closes open intervals at the last flush", "[stats][restart]") {
    store::Database db(":memory:");
    {
        StatsRecorder r(db, "Europe/Stockholm");
        r.luminaire(at(23, 17), {"L-1", "park", 100, 100, 100, 100});
        r.flush(at(23, 20));  // 3 h persisted
        // the daemon dies at 21:30; 20:00–21:30 is never persisted
        r.luminaire(at(23, 21), {"L-1", "park", 100, 50, 50, 50});
    }
    StatsRecorder r(db, "Europe/Stockholm");
    r.luminaire(at(23, 22), {"L-1", "park", 100, 100, 100, 100});  // states reported again after start
    r.luminaire(at(24, 0), {"L-1", "park", 100, 0, 0, 0});
    r.flush(at(24, 1));
    auto rep = report(r, {{"from", "2026-11-23"}, {"to", "2026-11-23"}, {"areas", {"park"}}});
    const auto& day = area_of(rep, "park")["series"][0];
    CHECK(day["lit_hours"] == Approx(5));     // 17–20 and 22–24
    CHECK(day["energy_kwh"] == Approx(0.5));  // 100 W × 5 h
}

TEST_CASE("report/get validates its arguments", "[stats][commands]") {
    store::Database db(":memory:");
    StatsRecorder r(db, "Europe/Stockholm");
    auto code = [&](const nlohmann::json& args) {
        auto answer = report(r, args);
        return answer["status"] == "ok" ? std::string("ok") : answer["error"].value("code", "");
    };
    auto field = [&](const nlohmann::json& args) {
        auto answer = report(r, args);
        return answer["status"] == "ok" ? std::string() : answer["error"].value("field", "");
    };
    CHECK(field({{"to", "2026-11-02"}}) == "from");
    CHECK(field({{"from", "2026-11-01"}, {"to", "tomorrow"}}) == "to");
    CHECK(code({{"from", "2026-11-05"}, {"to", "2026-11-01"}}) == "out_of_range");
    CHECK(code({{"from", "2026-01-01"}, {"to", "2026-12-31"}, {"granularity", "day"}}) == "ok");
    CHECK(code({{"from", "2020-01-01"}, {"to", "2026-12-31"}}) == "out_of_range");
    CHECK(code({{"from", "2010-01-01"}, {"to", "2026-12-31"}, {"granularity", "month"}}) == "out_of_range");
    CHECK(field({{"from", "2026-11-01"}, {"to", "2026-11-02"}, {"granularity", "week"}}) == "granularity");
    CHECK(field({{"from", "2026-11-01"}, {"to", "2026-11-02"}, {"areas", "park"}}) == "areas");
    CHECK(field({{"from", "2026-11-01"}, {"to", "2026-11-02"}, {"areas", {"park", 3}}}) == "areas[1]");
    auto rfc =
        report(r, {{"from", "2026-11-01T13:00:00+01:00"}, {"to", "2026-11-02T11:00:00Z"}, {"areas", {"x"}}});
    REQUIRE(rfc["status"] == "ok");
    CHECK(rfc["data"]["from"] == "2026-11-01");
    CHECK(rfc["data"]["to"] == "2026-11-02");
}

TEST_CASE("the night the clocks go back has one more lit hour", "[stats][calendar]") {
    store::Database db(":memory:");
    StatsRecorder r(db, "Europe/Stockholm");
    // 17:00 CEST on 24 Oct to 07:00 CET on 25 Oct: 15 h, not 14
    auto on = SystemTime(stockholm->to_sys(date::local_days(date::year(2026) / 10 / 24) + 17h));
    auto off = SystemTime(stockholm->to_sys(date::local_days(date::year(2026) / 10 / 25) + 7h));
    r.luminaire(on, {"L-1", "park", 100, 100, 100, 100});
    r.luminaire(off, {"L-1", "park", 100, 0, 0, 0});
    r.flush(off + 1h);
    auto rows = r.store().range(*parse_day("2026-10-24"), *parse_day("2026-10-24"), {});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].figures.lit_s == Approx(15 * 3600));
    CHECK(rows[0].figures.estimated_wh == Approx(1500));
}

TEST_CASE("report/get with a config: its areas by default, unknown ones refused", "[stats][commands]") {
    store::Database db(":memory:");
    StatsRecorder r(db, "Europe/Stockholm");
    config::Config cfg;
    cfg.gateway = {"gw1", "Centrum"};
    cfg.areas.push_back({"park", "Park", "", "", {}, std::nullopt, std::nullopt});
    cfg.areas.push_back({"torget", "Torget", "", "", {}, std::nullopt, std::nullopt});
    ManualClock clock(at(30, 13));
    auto handler = report_command(r, clock, [&cfg] { return &cfg; });
    auto call = [&](const nlohmann::json& args) {
        std::optional<nlohmann::json> answer;
        handler(args, api::Responder([&](nlohmann::json b) { answer = std::move(b); }));
        REQUIRE(answer);
        return *answer;
    };
    auto all = call({{"from", "2026-11-01"}, {"to", "2026-11-02"}});
    REQUIRE(all["status"] == "ok");
    CHECK(all["data"]["gateway"]["name"] == "Centrum");
    REQUIRE(all["data"]["areas"].size() == 2);
    CHECK(all["data"]["areas"][1]["area"] == "torget");
    CHECK(all["data"]["areas"][1]["series"].size() == 2);
    auto unknown = call({{"from", "2026-11-01"}, {"to", "2026-11-02"}, {"areas", {"park", "hamnen"}}});
    CHECK(unknown["error"]["code"] == "unknown_area");
    CHECK(unknown["error"]["field"] == "areas[1]");
}
