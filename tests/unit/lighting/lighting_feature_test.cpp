// The lighting feature in-process on virtual time: a ManualClock with
// ManualTimers for the policy (advancing the clock runs its timer), the
// in-process DALI simulator behind the real Foxtron transport on loopback TCP,
// a real SQLite store file (restarts reopen it), a recording Uplink.
#include <algorithm>
#include <chrono>
#include <optional>

#include "drivers/dali/level_curve.hpp"
#include "gateway/core/asio_timers.hpp"
#include "gateway/core/manual_timers.hpp"
#include "gateway/lighting/lighting_feature.hpp"
#include "gateway/luminaires/luminaires_feature.hpp"
#include "tests/unit/lighting/rig.hpp"
#include "tests/unit/support/recording_uplink.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta;
using namespace std::chrono_literals;
using lykta::test::run_until;
using lykta::test::utc;

namespace {

config::Config make_config(int port, const std::string& store) {
    return test::site_config(port, store, R"(luminaires:
  - { id: "L-{n}", bus: bus1, addresses: 0..2, first: 0, area: torget }
  - { id: P-1, bus: bus1, address: 3, area: park }
areas:
  - { id: torget, profile: centrum, safety_profile: trygg, dali_groups: { bus1: 1 } }
  - { id: park, profile: centrum }
profiles:
  centrum:
    - { at: "18:00", level: 80 }
    - { at: "23:00", level: 30 }
    - { at: "06:00", level: 0 }
  trygg:
    floor: 90
    steps:
      - { at: "16:00", level: 90 }
      - { at: "08:00", level: 0 }
)");
}

std::uint8_t level_at(dali::SimBus& sim, int address) {
    return sim.gear_at(address)->actual_level(sim.now());
}

// One daemon run: luminaires + lighting on a store file that outlives it.
struct Run {
    Run(asio::io_context& io, const config::Config& c, ManualClock& clock, Timers& timers)
        : db(c.store.path),
          sweep_timers(io),
          luminaires(io, sweep_timers, c, uplink, clock),
          lighting(c, luminaires, uplink, db, clock, timers) {
        luminaires.add_status_observer([this](const luminaires::Sweep& sweep) { sweeps += sweep.reachable; });
        luminaires.start();
        lighting.start();
    }
    ~Run() {
        lighting.stop();
        luminaires.stop();
    }
    std::optional<nlohmann::json> ask(asio::io_context& io, const std::string& command, nlohmann::json args) {
        std::optional<nlohmann::json> answer;
        uplink.commands.at(command)(args, api::Responder([&](nlohmann::json b) { answer = std::move(b); }));
        run_until(io, [&] { return answer.has_value(); });
        return answer;
    }
    std::size_t events(const std::string& type) const {
        return std::count_if(uplink.events.begin(), uplink.events.end(),
                             [&](const nlohmann::json& e) { return e["type"] == type; });
    }
    // After the first answering sweep the bus is "ready" and got every target
    // again; later applies are the test's own.
    bool settled(asio::io_context& io) {
        return run_until(io, [&] { return sweeps > 0; });
    }
    int sweeps = 0;
    test::RecordingUplink uplink;
    store::Database db;
    AsioTimers sweep_timers;  // the bus sweeps on real time: these tests drive the policy, not the sweeps
    luminaires::LuminairesFeature luminaires;
    lighting::LightingFeature lighting;
};

struct Site : test::SimSite {
    Site() : SimSite(4, "lykta-lighting-") {
        for (int a = 0; a < 3; ++a) sim.gear_at(a)->groups = 1 << 1;  // torget's DALI group 1
        config = make_config(port, store_path());
    }
    config::Config config;
    ManualClock clock{utc(20)};
    ManualTimers timers{clock};
};

}  // namespace

TEST_CASE("lighting: targets reach the gear at start and at the timer's transition", "[lighting]") {
    Site site;
    Run run(site.io, site.config, site.clock, site.timers);
    REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 3) == dali::level_from_percent(80); }));
    REQUIRE(run_until(site.io, [&] {
        return run.uplink.states.count("luminaire/L-1/state") &&
               std::abs(run.uplink.states["luminaire/L-1/state"]["level"].get<double>() - 80) < 1;
    }));
    auto state = run.uplink.states["luminaire/L-1/state"];
    CHECK(state["target"] == 80.0);
    CHECK(state["reason"]["source"] == "default");
    auto area = run.uplink.states.at("area/torget/state");
    CHECK(area["mode"] == "schedule");
    CHECK(area["profile"] == "centrum");
    CHECK(area["luminaires"] == 3);
    CHECK(area["safety"].is_null());

    // One timer, armed at the next step: 23:00 local = 22:00 UTC, not a second before.
    site.clock.advance(utc(22) - 1s - site.clock.now());
    CHECK(run.uplink.states.at("area/torget/state")["level"] == 80.0);
    site.clock.advance(1s);  // the timer fires: evaluated at 23:00 local
    CHECK(run.uplink.states.at("area/torget/state")["level"] == 30.0);
    REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 0) == dali::level_from_percent(30); }));
    CHECK(level_at(site.sim, 3) == dali::level_from_percent(30));
    // And re-armed for 06:00 local next morning.
    site.clock.advance(utc(5, 0, 16) - 1s - site.clock.now());
    CHECK(run.uplink.states.at("area/park/state")["level"] == 30.0);
    site.clock.advance(1s);
    CHECK(run.uplink.states.at("area/park/state")["level"] == 0.0);
    CHECK(run.uplink.info_sources.at("schedule_revision")() == 0);
}

TEST_CASE("lighting: a uniform area change is one group frame, a mixed one more", "[lighting]") {
    Site site;
    Run run(site.io, site.config, site.clock, site.timers);
    REQUIRE(run.settled(site.io));
    REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 0) == dali::level_from_percent(80); }));
    auto* bus = run.luminaires.bus("bus1");

    auto answer = run.ask(site.io, "area/set", {{"area", "torget"}, {"level", 50}});
    REQUIRE(answer);
    REQUIRE((*answer)["status"] == "ok");
    CHECK((*answer)["data"]["levels"]["L-0"].get<double>() == Approx(50).margin(1));
    CHECK((*answer)["data"]["levels"]["L-2"].get<double>() == Approx(50).margin(1));
    CHECK(bus->last_apply_frames() == 1);  // DAPC to group 1 (fade time already known)
    CHECK(level_at(site.sim, 3) == dali::level_from_percent(80));  // the park is not in the group
    CHECK(run.events("override.set") == 1);
    CHECK(run.uplink.states.at("area/torget/state")["mode"] == "override");

    answer = run.ask(site.io, "luminaire/set", {{"luminaire", "L-0"}, {"level", 20}});
    REQUIRE((*answer)["status"] == "ok");
    answer = run.ask(site.io, "area/set", {{"area", "torget"}, {"level", 60}});
    REQUIRE((*answer)["status"] == "ok");
    CHECK((*answer)["data"]["levels"]["L-0"].get<double>() ==
          Approx(20).margin(1));  // the luminaire's own override outranks the area's
    CHECK((*answer)["data"]["levels"]["L-1"].get<double>() == Approx(60).margin(1));
    CHECK(bus->last_apply_frames() >= 2);

    answer = run.ask(site.io, "override/clear", {{"area", "torget"}});
    REQUIRE((*answer)["status"] == "ok");
    CHECK((*answer)["data"]["levels"]["L-1"].get<double>() == Approx(80).margin(1));
    CHECK(level_at(site.sim, 1) == dali::level_from_percent(80));
}

TEST_CASE("lighting: reapply_areas sends an area's unchanged levels to gear that just got mains",
          "[lighting]") {
    Site site;
    Run run(site.io, site.config, site.clock, site.timers);
    REQUIRE(run.settled(site.io));
    REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 0) == dali::level_from_percent(80); }));
    // A contactor in front of torget closed: its gear boot to POWER ON LEVEL (254).
    for (int a = 0; a < 3; ++a) site.sim.gear_at(a)->mains_restored(site.sim.now());
    site.sim.gear_at(3)->mains_restored(site.sim.now());  // the park is not behind it
    REQUIRE(level_at(site.sim, 0) == 254);

    run.lighting.evaluate();  // the targets did not change: nothing goes out
    run.lighting.reapply_areas({"torget", "no-such-area"});
    REQUIRE(run_until(site.io, [&] {
        return level_at(site.sim, 0) == dali::level_from_percent(80) &&
               level_at(site.sim, 1) == dali::level_from_percent(80) &&
               level_at(site.sim, 2) == dali::level_from_percent(80);
    }));
    CHECK(level_at(site.sim, 3) == 254);  // not one of the areas
}

TEST_CASE("lighting: command errors carry the API's codes and fields", "[lighting]") {
    Site site;
    Run run(site.io, site.config, site.clock, site.timers);
    auto error = [&](const std::string& command, nlohmann::json args) {
        auto a = run.ask(site.io, command, std::move(args));
        REQUIRE(a);
        REQUIRE((*a)["status"] == "error");
        return (*a)["error"];
    };
    CHECK(error("area/set", {{"area", "nowhere"}, {"level", 50}})["code"] == "unknown_area");
    CHECK(error("luminaire/set", {{"luminaire", "X"}, {"level", 50}})["code"] == "unknown_luminaire");
    auto e = error("area/set", {{"area", "torget"}, {"level", 150}});
    CHECK(e["code"] == "out_of_range");
    CHECK(e["field"] == "level");
    CHECK(error("override/clear", nlohmann::json::object())["code"] == "bad_request");
    CHECK(error("explain", {{"luminaire", "nope"}})["code"] == "unknown_luminaire");
    CHECK(error("area/safety/clear", {{"area", "torget"}, {"flag", "none"}})["code"] == "bad_request");
    CHECK(error("luminaire/identify", {{"luminaire", "L-0"}, {"seconds", 0}})["code"] == "out_of_range");
    CHECK(error("schedule/set", {{"revision", 7}, {"profiles", nlohmann::json::object()}})["code"] ==
          "conflict");
    e = error("schedule/set", {{"revision", 0},
                               {"profiles",
                                {{"centrum", {{{"at", "18:00"}, {"level", 180}}}},
                                 {"trygg", {{{"at", "16:00"}, {"level", 90}}}}}}});
    CHECK(e["code"] == "out_of_range");
    CHECK(e["field"] == "profiles.centrum.0.level");
    CHECK(run.events("schedule.changed") == 0);
}

TEST_CASE("lighting: area/safety/list lists the flags, per area or all", "[lighting]") {
    Site site;
    Run run(site.io, site.config, site.clock, site.timers);
    auto set = run.ask(site.io, "area/safety",
                       {{"id", "focus.2026.torget"},
                        {"area", "torget"},
                        {"reason", "survey"},
                        {"source", "police"},
                        {"from", "2026-12-01"},
                        {"until", "2027-03-01"}});
    REQUIRE(set);
    REQUIRE((*set)["status"] == "ok");
    auto listed = run.ask(site.io, "area/safety/list", nlohmann::json::object());
    REQUIRE(listed);
    REQUIRE((*listed)["status"] == "ok");
    const auto& flags = (*listed)["data"]["flags"];
    auto found = std::find_if(flags.begin(), flags.end(),
                              [](const auto& f) { return f["id"] == "focus.2026.torget"; });
    REQUIRE(found != flags.end());
    CHECK((*found)["origin"] == "mqtt");
    CHECK((*found)["source"] == "police");
    CHECK((*found)["area"] == "torget");
    auto other = run.ask(site.io, "area/safety/list", {{"area", "nowhere"}});
    REQUIRE(other);
    CHECK((*other)["error"]["code"] == "unknown_area");
    run.ask(site.io, "area/safety/clear", {{"area", "torget"}, {"flag", "focus.2026.torget"}});
    listed = run.ask(site.io, "area/safety/list", {{"area", "torget"}});
    for (const auto& f : (*listed)["data"]["flags"]) CHECK(f["id"] != "focus.2026.torget");
}

TEST_CASE("lighting: schedule/set replaces the profiles, survives a restart, explain shows the stack",
          "[lighting]") {
    Site site;
    {
        Run run(site.io, site.config, site.clock, site.timers);
        auto got = run.ask(site.io, "schedule/get", nlohmann::json::object());
        REQUIRE((*got)["status"] == "ok");
        CHECK((*got)["data"]["revision"] == 0);
        CHECK((*got)["data"]["areas"]["torget"]["profile"] == "centrum");
        auto profiles = (*got)["data"]["profiles"];
        profiles["centrum"]["steps"][0]["level"] = 70;
        auto set = run.ask(site.io, "schedule/set", {{"revision", 0}, {"profiles", profiles}});
        REQUIRE((*set)["status"] == "ok");
        CHECK((*set)["data"]["revision"] == 1);
        CHECK(run.events("schedule.changed") == 1);
        REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 3) == dali::level_from_percent(70); }));
        auto stale = run.ask(site.io, "schedule/set", {{"revision", 0}, {"profiles", profiles}});
        CHECK((*stale)["error"]["code"] == "conflict");
    }
    Run again(site.io, site.config, site.clock, site.timers);
    CHECK(again.lighting.schedule_revision() == 1);
    auto explain = again.ask(site.io, "explain", {{"luminaire", "P-1"}});
    REQUIRE((*explain)["status"] == "ok");
    CHECK((*explain)["data"]["level"] == 70.0);
    CHECK((*explain)["data"]["stack"].size() >= 2);
    explain = again.ask(site.io, "explain", {{"area", "torget"}, {"at", "2025-01-15T23:30:00+01:00"}});
    REQUIRE((*explain)["status"] == "ok");
    CHECK((*explain)["data"]["level"] == 30.0);
    CHECK((*explain)["data"]["luminaires"].size() == 3);
}

TEST_CASE("lighting: an override that expired while down is announced once at the next start", "[lighting]") {
    Site site;
    {
        Run run(site.io, site.config, site.clock, site.timers);
        REQUIRE(run.settled(site.io));  // a command before the bus is up gets null read-back levels
        auto a =
            run.ask(site.io, "luminaire/set", {{"luminaire", "P-1"}, {"level", 10}, {"duration_s", 600}});
        REQUIRE((*a)["status"] == "ok");
        CHECK(level_at(site.sim, 3) == dali::level_from_percent(10));
        CHECK((*a)["data"]["levels"]["P-1"].get<double>() == Approx(10).margin(0.5));
    }
    site.clock.advance(20min);
    {
        Run run(site.io, site.config, site.clock, site.timers);
        CHECK(run.events("override.expired") == 1);
        REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 3) == dali::level_from_percent(80); }));
    }
    Run third(site.io, site.config, site.clock, site.timers);
    CHECK(third.events("override.expired") == 0);
}

TEST_CASE("lighting: a safety flag raises the area, its start and end are announced once across restarts",
          "[lighting]") {
    struct Observer : lighting::LightingObserver {
        void on_targets(SystemTime, const std::vector<lighting::LuminaireTarget>& t) override { targets = t; }
        void on_safety(SystemTime, const std::string& area, bool in_force) override {
            safety.emplace_back(area, in_force);
        }
        std::vector<lighting::LuminaireTarget> targets;
        std::vector<std::pair<std::string, bool>> safety;
    };
    Site site;
    site.clock.set(utc(22, 30));  // 23:30 local: the schedule is at 30 %
    {
        Run run(site.io, site.config, site.clock, site.timers);
        Observer observer;
        run.lighting.add_observer(&observer);
        REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 0) == dali::level_from_percent(30); }));
        auto a = run.ask(site.io, "area/safety",
                         {{"area", "torget"},
                          {"until", "2025-01-16T02:00:00+01:00"},
                          {"reason", "event"},
                          {"source", "police"}});
        REQUIRE((*a)["status"] == "ok");
        REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 0) == dali::level_from_percent(90); }));
        CHECK(level_at(site.sim, 3) == dali::level_from_percent(30));  // the park has no flag
        CHECK(run.events("safety.started") == 1);
        CHECK(run.uplink.states.at("area/torget/state")["mode"] == "safety");
        REQUIRE(observer.safety.size() == 1);
        CHECK(observer.safety[0] == std::pair<std::string, bool>{"torget", true});
        REQUIRE(observer.targets.size() == 4);
        CHECK(observer.targets[0].target == 90);
        CHECK(observer.targets[0].normal_level == 30);
        CHECK(observer.targets[0].source == "safety");
        run.lighting.remove_observer(&observer);
    }
    {
        Run run(site.io, site.config, site.clock, site.timers);  // same state: nothing to announce
        CHECK(run.events("safety.started") == 0);
        CHECK(run.events("safety.ended") == 0);
        REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 1) == dali::level_from_percent(90); }));
    }
    site.clock.set(utc(1, 30, 16));  // 02:30 local: the flag ended while the daemon was down
    {
        Run run(site.io, site.config, site.clock, site.timers);
        CHECK(run.events("safety.ended") == 1);
        CHECK(run.events("safety.started") == 0);
    }
    Run last(site.io, site.config, site.clock, site.timers);
    CHECK(last.events("safety.ended") == 0);
}

// luminaire/set queues its frames before the SQLite write; the answer must still
// wait for the write, so an acknowledged override is on disk when it arrives.
TEST_CASE("lighting: an acknowledged override is already stored when the answer arrives", "[lighting]") {
    Site site;
    Run run(site.io, site.config, site.clock, site.timers);
    REQUIRE(run.settled(site.io));
    std::optional<std::int64_t> stored_at_answer;
    auto answer = std::make_shared<std::optional<nlohmann::json>>();
    run.uplink.commands.at("luminaire/set")(
        {{"luminaire", "L-0"}, {"level", 20}}, api::Responder([&, answer](nlohmann::json body) {
            store::Database other(site.config.store.path);  // a second connection: what is on disk
            auto q = other.prepare("SELECT level FROM policy_overrides WHERE id = 'override-luminaire-L-0'");
            if (q.step()) stored_at_answer = q.column_int(0);
            *answer = std::move(body);
        }));
    REQUIRE(run_until(site.io, [&] { return answer->has_value(); }));
    REQUIRE((**answer)["status"] == "ok");
    CHECK(stored_at_answer == 20);
    CHECK(run.events("override.set") == 1);
    CHECK(level_at(site.sim, 0) == dali::level_from_percent(20));
}

TEST_CASE("lighting: an override the store refuses is undone, not answered ok, not announced", "[lighting]") {
    Site site;
    {
        Run run(site.io, site.config, site.clock, site.timers);
        REQUIRE(run.settled(site.io));
        REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 0) == dali::level_from_percent(80); }));
        run.db.exec("PRAGMA query_only = 1");  // writes fail as on a read-only medium
        auto answer = std::make_shared<std::optional<nlohmann::json>>();
        CHECK_THROWS_AS(run.uplink.commands.at("luminaire/set")(
                            {{"luminaire", "L-0"}, {"level", 20}},
                            api::Responder([answer](nlohmann::json body) { *answer = std::move(body); })),
                        store::StoreError);
        // Both the command's frames and the undo's went out; the undo is the last word.
        REQUIRE(run_until(site.io, [&] {
            return run.uplink.states.count("luminaire/L-0/state") &&
                   run.uplink.states["luminaire/L-0/state"]["reason"]["source"] == "default" &&
                   level_at(site.sim, 0) == dali::level_from_percent(80);
        }));
        run_until(site.io, [&] { return answer->has_value(); });
        if (answer->has_value()) CHECK((**answer)["status"] != "ok");
        CHECK(run.events("override.set") == 0);
        run.db.exec("PRAGMA query_only = 0");
    }
    Run again(site.io, site.config, site.clock, site.timers);  // nothing of it comes back after a restart
    REQUIRE(again.settled(site.io));
    REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 0) == dali::level_from_percent(80); }));
    CHECK(again.uplink.states["luminaire/L-0/state"]["reason"]["source"] == "default");
}

// override/clear, like luminaire/set, sends its frames before the DELETE and
// answers after it: when the answer arrives the override is gone from disk.
TEST_CASE("lighting: an acknowledged override/clear is already off the store when the answer arrives",
          "[lighting]") {
    Site site;
    Run run(site.io, site.config, site.clock, site.timers);
    REQUIRE(run.settled(site.io));
    REQUIRE((*run.ask(site.io, "area/set", {{"area", "torget"}, {"level", 40}}))["status"] == "ok");
    REQUIRE(level_at(site.sim, 1) == dali::level_from_percent(40));
    std::optional<bool> stored_at_answer;
    auto answer = std::make_shared<std::optional<nlohmann::json>>();
    run.uplink.commands.at("override/clear")(
        {{"area", "torget"}}, api::Responder([&, answer](nlohmann::json body) {
            store::Database other(site.config.store.path);
            auto q = other.prepare("SELECT 1 FROM policy_overrides WHERE id = 'override-area-torget'");
            stored_at_answer = q.step();
            *answer = std::move(body);
        }));
    REQUIRE(run_until(site.io, [&] { return answer->has_value(); }));
    REQUIRE((**answer)["status"] == "ok");
    CHECK((**answer)["data"]["cleared"] == nlohmann::json::array({"override-area-torget"}));
    CHECK((**answer)["data"]["levels"]["L-1"].get<double>() == Approx(80).margin(1));
    CHECK(stored_at_answer == false);
    CHECK(level_at(site.sim, 1) == dali::level_from_percent(80));
    CHECK(run.uplink.states.at("area/torget/state")["mode"] == "schedule");
}

TEST_CASE("lighting: an override/clear the store refuses keeps the override in force", "[lighting]") {
    Site site;
    {
        Run run(site.io, site.config, site.clock, site.timers);
        REQUIRE(run.settled(site.io));
        REQUIRE((*run.ask(site.io, "luminaire/set", {{"luminaire", "L-2"}, {"level", 25}}))["status"] ==
                "ok");
        REQUIRE(level_at(site.sim, 2) == dali::level_from_percent(25));
        run.db.exec("PRAGMA query_only = 1");  // the DELETE fails as on a read-only medium
        auto answer = std::make_shared<std::optional<nlohmann::json>>();
        CHECK_THROWS_AS(run.uplink.commands.at("override/clear")(
                            {{"luminaire", "L-2"}},
                            api::Responder([answer](nlohmann::json body) { *answer = std::move(body); })),
                        store::StoreError);
        // The clear's frame and the undo's went out; the undo is the last word.
        REQUIRE(run_until(site.io, [&] {
            return run.uplink.states["luminaire/L-2/state"]["reason"]["source"] == "override" &&
                   level_at(site.sim, 2) == dali::level_from_percent(25);
        }));
        run_until(site.io, [&] { return answer->has_value(); });
        if (answer->has_value()) CHECK((**answer)["status"] != "ok");
        run.db.exec("PRAGMA query_only = 0");
    }
    Run again(site.io, site.config, site.clock, site.timers);  // still on disk, still in force
    REQUIRE(again.settled(site.io));
    REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 2) == dali::level_from_percent(25); }));
    CHECK(again.uplink.states["luminaire/L-2/state"]["reason"]["source"] == "override");
}

// A command decides only the luminaires it names, unless a timer instant is
// already due (the timer's handler has not run yet): then everything is
// decided, so the command does not publish states from before the transition.
TEST_CASE("lighting: a command decides its own luminaires, and all of them when a transition is due",
          "[lighting]") {
    Site site;
    Run run(site.io, site.config, site.clock, site.timers);
    REQUIRE(run.settled(site.io));
    REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 3) == dali::level_from_percent(80); }));
    auto* bus = run.luminaires.bus("bus1");
    const auto jobs = bus->counters().jobs;

    REQUIRE((*run.ask(site.io, "luminaire/set", {{"luminaire", "L-0"}, {"level", 20}}))["status"] == "ok");
    CHECK(level_at(site.sim, 0) == dali::level_from_percent(20));
    CHECK(run.uplink.states.at("luminaire/L-0/state")["target"] == 20.0);
    CHECK(run.uplink.states.at("luminaire/P-1/state")["target"] == 80.0);
    CHECK(bus->last_apply_frames() <= 3);  // L-0 alone (fade time, DAPC)
    CHECK(bus->counters().jobs > jobs);

    // 23:00 local is due, the timer has not fired: time moved on, the loop ran nothing yet.
    site.clock.step(utc(22) - site.clock.now());
    REQUIRE((*run.ask(site.io, "luminaire/set", {{"luminaire", "L-0"}, {"level", 70}}))["status"] == "ok");
    CHECK(level_at(site.sim, 0) == dali::level_from_percent(70));
    REQUIRE(run_until(site.io, [&] { return level_at(site.sim, 3) == dali::level_from_percent(30); }));
    CHECK(run.uplink.states.at("luminaire/P-1/state")["target"] == 30.0);
    // The full evaluation re-planned: the next transition is 06:00 local.
    site.clock.advance(utc(5, 0, 16) - site.clock.now());
    CHECK(run.uplink.states.at("area/park/state")["level"] == 0.0);
}

// A command tells the observers only its own luminaires' new targets; the list
// they get is still complete, with every other luminaire as last told.
TEST_CASE("lighting: after a command the observers get every luminaire, the named ones updated",
          "[lighting]") {
    struct Observer : lighting::LightingObserver {
        void on_targets(SystemTime, const std::vector<lighting::LuminaireTarget>& t) override {
            targets = t;
            ++calls;
        }
        void on_safety(SystemTime, const std::string&, bool) override {}
        const lighting::LuminaireTarget& of(const std::string& id) const {
            for (const auto& t : targets)
                if (t.luminaire == id) return t;
            FAIL("no target for " << id);
            return targets.front();
        }
        std::vector<lighting::LuminaireTarget> targets;
        int calls = 0;
    };
    Site site;
    site.clock.set(utc(22, 30));  // 23:30 local: the schedule is at 30 %
    Run run(site.io, site.config, site.clock, site.timers);
    Observer observer;
    run.lighting.add_observer(&observer);
    REQUIRE(run.settled(site.io));
    REQUIRE((*run.ask(site.io, "area/safety",
                      {{"area", "torget"}, {"until", "2025-01-16T02:00:00+01:00"}}))["status"] == "ok");
    REQUIRE(observer.targets.size() == 4);
    CHECK(observer.of("L-0").target == 90);
    CHECK(observer.of("L-0").normal_level == 30);

    const int calls = observer.calls;
    REQUIRE((*run.ask(site.io, "luminaire/set", {{"luminaire", "P-1"}, {"level", 55}}))["status"] == "ok");
    CHECK(observer.calls == calls + 1);
    REQUIRE(observer.targets.size() == 4);
    CHECK(observer.of("P-1").target == 55);
    CHECK(observer.of("P-1").normal_level == 55);  // an override is part of "normal" (only flags are not)
    CHECK(observer.of("P-1").source == "override");
    CHECK(observer.of("L-0").target == 90);  // as last told
    CHECK(observer.of("L-0").normal_level == 30);
    CHECK(observer.of("L-1").source == "safety");

    REQUIRE((*run.ask(site.io, "luminaire/set", {{"luminaire", "L-0"}, {"level", 20}}))["status"] == "ok");
    CHECK(observer.of("L-0").target == 20);  // the override outranks the flag
    CHECK(observer.of("L-0").normal_level == 20);
    CHECK(observer.of("L-1").target == 90);

    // The same luminaire set again to its level: nothing changed, nobody told.
    const int before = observer.calls;
    REQUIRE((*run.ask(site.io, "luminaire/set", {{"luminaire", "L-0"}, {"level", 20}}))["status"] == "ok");
    CHECK(observer.calls == before);
    run.lighting.remove_observer(&observer);
}
