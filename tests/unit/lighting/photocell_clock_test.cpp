// Photocell gating and clock safety in the running lighting feature, on
// virtual time: a ManualClock with ManualTimers for the policy (advancing the
// clock runs the timers that fall due), the in-process DALI simulator
// behind the Foxtron transport on loopback TCP, a real SQLite store, meter
// statuses fed as the cabinet room reports them, and the ClockWatch driven
// with a hand-moved steady time and NTP answer.
#include <chrono>
#include <optional>

#include "drivers/dali/level_curve.hpp"
#include "gateway/core/asio_timers.hpp"
#include "gateway/core/manual_timers.hpp"
#include "gateway/lighting/clock_watch.hpp"
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
  - { id: T-1, bus: bus1, address: 0, area: torget }
  - { id: P-1, bus: bus1, address: 1, area: park }
areas:
  - { id: torget, profile: kvall }
  - { id: park, profile: kvall }
profiles:
  kvall:
    - { at: sunset, level: 80 }
    - { at: "23:00", level: 30 }
    - { at: sunrise, level: 0 }
modbus:
  networks: [{ id: lan, type: tcp, host: 127.0.0.1, port: 1 }]
  devices: [{ id: cab1, network: lan, unit: 3, template: lux-sensor, full_publish_s: 60 }]
photocells:
  - { id: pc1, device: cab1, value: lux, areas: [torget], confirm_s: 60, max_age_s: 120, disagree_s: 600 }
)");
}

struct Site : test::SimSite {
    Site() : SimSite(2, "lykta-photocell-") {
        config = make_config(port, store_path());
        place = policy::Place::of(config.site);
        window = policy::photocell_window(place, date::local_days{date::year{2025} / 1 / 15}, 30min, 30min);
    }
    config::Config config;
    policy::Place place;
    policy::PhotocellWindow window;  // of the night of 2025-01-15
    ManualClock clock{utc(12)};
    ManualTimers timers{clock};
};

struct Disagreement {
    std::string photocell;
    bool active = false;
};

struct Recorder final : lighting::LightingObserver {
    void on_targets(SystemTime, const std::vector<lighting::LuminaireTarget>&) override {}
    void on_safety(SystemTime, const std::string&, bool) override {}
    void on_photocell(SystemTime, const std::string& photocell, const std::vector<std::string>& areas,
                      bool disagreement, const std::string&) override {
        CHECK(areas == std::vector<std::string>{"torget"});
        seen.push_back({photocell, disagreement});
    }
    std::vector<Disagreement> seen;
};

struct Run {
    Run(Site& s)
        : site(s),
          db(s.config.store.path),
          sweep_timers(s.io),
          luminaires(s.io, sweep_timers, s.config, uplink, s.clock),
          lighting(s.config, luminaires, uplink, db, s.clock, s.timers) {
        lighting.add_observer(&recorder);
        luminaires.start();
        lighting.start();
    }
    ~Run() {
        lighting.stop();
        luminaires.stop();
    }
    // What the cabinet room tells its observers after a poll of cab1.
    void lux(std::optional<double> value, bool available = true) {
        cabinet::MeterValues s;
        s.meter = "cab1";
        s.available = available;
        if (value) s.values["lux"] = {*value, false};
        s.ts = site.clock.now();
        lighting.on_values(s);
    }
    // Time passes until the next timer is due, which runs it (the policy's
    // transition timer: the photocells' confirmations and expiries are short).
    void fire() {
        const auto due = site.timers.next_due();
        REQUIRE(due);
        site.clock.advance(*due - site.clock.now());
    }
    nlohmann::json area(const std::string& id) { return uplink.states.at("area/" + id + "/state"); }
    std::optional<nlohmann::json> explain(const std::string& area_id) {
        std::optional<nlohmann::json> answer;
        uplink.commands.at("explain")({{"area", area_id}},
                                      api::Responder([&](nlohmann::json b) { answer = std::move(b); }));
        run_until(site.io, [&] { return answer.has_value(); });
        return answer;
    }
    Site& site;
    test::RecordingUplink uplink;
    store::Database db;
    AsioTimers sweep_timers;  // the bus sweeps on real time: these tests drive the policy, not the sweeps
    luminaires::LuminairesFeature luminaires;
    lighting::LightingFeature lighting;
    Recorder recorder;
};

}  // namespace

TEST_CASE("photocell: a dark reading in the evening window lights the area after confirmation",
          "[lighting][photocell]") {
    Site site;
    site.clock.set(site.window.earliest_on + 5min);  // 25 min before sunset
    Run run(site);
    CHECK(run.area("torget")["level"] == 0);
    CHECK(run.area("torget")["photocell"]["basis"] == "astro_fallback");  // no reading yet
    CHECK(run.area("torget")["photocell"]["sensor_failed"] == true);

    run.lux(12);  // below on_below_lux 30: a change, pending its confirmation
    CHECK(run.area("torget")["level"] == 0);
    CHECK(run.area("torget")["photocell"]["basis"] == "sensor");
    site.clock.advance(30s);
    run.lux(11);  // still dark: the confirmation keeps counting from the first reading
    site.clock.advance(29s);
    CHECK(run.area("torget")["level"] == 0);
    site.clock.advance(1s);                    // confirmed 60 s after the first dark reading
    CHECK(run.area("torget")["level"] == 80);  // the night's first lit level
    CHECK(run.area("torget")["photocell"]["lit"] == true);
    CHECK(run.area("park")["level"] == 0);  // no photocell: waits for its sunset step
    REQUIRE(run_until(site.io, [&] {
        return site.sim.gear_at(0)->actual_level(site.sim.now()) == dali::level_from_percent(80);
    }));

    auto explained = run.explain("torget");
    REQUIRE(explained);
    REQUIRE((*explained)["status"] == "ok");
    const auto& data = (*explained)["data"];
    CHECK(data["photocell"]["id"] == "pc1");
    CHECK(data["photocell"]["lux"] == 11.0);
    CHECK(data["photocell"]["basis"] == "sensor");
    CHECK_THAT(data["reason"]["detail"].get<std::string>(), Catch::Contains("photocell 'pc1'"));
    CHECK(run.recorder.seen.size() == 1);  // told once at start: no disagreement
    CHECK_FALSE(run.recorder.seen.front().active);
}

TEST_CASE("photocell: hysteresis holds between the thresholds, a bright reading switches off",
          "[lighting][photocell]") {
    Site site;
    site.clock.set(site.window.earliest_on + 1min);
    Run run(site);
    run.lux(5);
    run.fire();
    REQUIRE(run.area("torget")["level"] == 80);
    for (double lux : {40.0, 55.0, 35.0}) {  // inside the 30..60 band: no change
        site.clock.advance(20s);
        run.lux(lux);
        CHECK(run.area("torget")["level"] == 80);
        CHECK(run.area("torget")["photocell"]["lit"] == true);
    }
    site.clock.advance(20s);
    run.lux(300);
    CHECK(run.area("torget")["level"] == 80);  // pending
    site.clock.advance(30s);
    run.lux(40);  // back into the band before confirmation: the change is dropped
    site.clock.advance(40s);
    run.lux(45);
    CHECK(run.area("torget")["level"] == 80);
    run.lux(300);
    run.fire();
    CHECK(run.area("torget")["level"] == 0);
    CHECK(run.area("torget")["photocell"]["lit"] == false);
}

TEST_CASE("photocell: a failed or silent sensor falls back to the schedule's astro steps",
          "[lighting][photocell]") {
    Site site;
    site.clock.set(site.window.astro_on + 5min);  // just after sunset: the schedule says 80
    Run run(site);
    run.lux(500);  // still bright: the sensor keeps the area dark
    run.fire();
    REQUIRE(run.area("torget")["level"] == 0);
    CHECK(run.area("torget")["photocell"]["basis"] == "sensor");

    SECTION("the device goes unavailable") {
        run.lux(std::nullopt, false);
        CHECK(run.area("torget")["level"] == 80);
        CHECK(run.area("torget")["photocell"]["basis"] == "astro_fallback");
        CHECK(run.area("torget")["photocell"]["sensor_failed"] == true);
        CHECK_THAT(run.area("torget")["photocell"]["reason"].get<std::string>(), Catch::Contains("failed"));
    }
    SECTION("no reading for longer than max_age_s") {
        const auto read_at = site.window.astro_on + 5min;
        // The timer is armed for the reading's expiry (or something sooner).
        while (run.area("torget")["photocell"]["basis"] == "sensor") {
            run.fire();
            REQUIRE(site.clock.now() <= read_at + 121s);
        }
        CHECK(run.area("torget")["level"] == 80);
        CHECK(run.area("torget")["photocell"]["basis"] == "astro_fallback");
    }
}

TEST_CASE("photocell: a reading that contradicts the sun for disagree_s is a fault and is ignored",
          "[lighting][photocell]") {
    Site site;
    site.clock.set(site.window.astro_on + 2h);  // dark night in January: sun far below -6
    Run run(site);
    REQUIRE(run.area("torget")["level"] == 80);
    for (int minute = 0; minute <= 10; ++minute) {
        run.lux(5000);  // a floodlight on the sensor
        if (minute < 10) site.clock.advance(60s);
    }
    run.lighting.evaluate();
    CHECK(run.area("torget")["level"] == 80);
    CHECK(run.area("torget")["photocell"]["disagreement"] == true);
    CHECK(run.area("torget")["photocell"]["basis"] == "astro_fallback");
    REQUIRE(run.recorder.seen.size() == 2);
    CHECK(run.recorder.seen.back().photocell == "pc1");
    CHECK(run.recorder.seen.back().active);

    site.clock.advance(60s);
    run.lux(0.5);  // plausible again
    CHECK(run.area("torget")["photocell"]["disagreement"] == false);
    REQUIRE(run.recorder.seen.size() == 3);
    CHECK_FALSE(run.recorder.seen.back().active);
}

TEST_CASE("clock: a wall-clock jump re-plans at once, forward and backward", "[lighting][clock]") {
    Site site;
    site.clock.set(utc(20));  // 21:00 local: kvall at 80, next step 23:00 local
    Run run(site);
    REQUIRE(run.area("park")["level"] == 80);

    auto steady = std::chrono::steady_clock::time_point{} + 1h;
    bool synchronised = true;
    lighting::ClockSources sources;
    sources.steady = [&] { return steady; };
    sources.ntp = [&] {
        return policy::ntp_status_from(0, synchronised ? 0 : 0x40 /* STA_UNSYNC */, 100, 10);
    };
    lighting::ClockWatch watch(site.timers, site.clock, run.uplink, sources);
    std::vector<policy::ClockHealth> heard;
    watch.add_listener([&](SystemTime at, const policy::ClockHealth& h) {
        heard.push_back(h);
        run.lighting.on_clock(at, h);
    });
    CHECK_FALSE(watch.check().jump.jumped());  // the first one has nothing to compare with

    // One minute passes on both clocks: no jump.
    steady += 60s;
    site.clock.advance(60s);
    CHECK_FALSE(watch.check().jump.jumped());
    CHECK(run.area("park")["level"] == 80);

    // The wall clock steps 1 h 30 min ahead (an NTP step after a bad RTC) in one minute.
    steady += 60s;
    site.clock.advance(60s);
    site.clock.set(utc(22, 32));
    CHECK(run.area("park")["level"] == 80);  // the timer counts elapsed time: it has not fired
    auto health = watch.check();
    CHECK(health.jump.kind == policy::ClockJump::Kind::forward);
    CHECK(run.area("park")["level"] == 30);  // 23:00's step, without waiting for the stale timer
    REQUIRE_FALSE(run.uplink.events.empty());
    CHECK(run.uplink.events.back()["type"] == "clock.jumped");
    CHECK(run.uplink.events.back()["direction"] == "forward");

    // And back (someone fixes it by hand): the evening level and its timer return.
    steady += 60s;
    site.clock.set(utc(20, 2));
    health = watch.check();
    CHECK(health.jump.kind == policy::ClockJump::Kind::backward);
    CHECK(run.area("park")["level"] == 80);
    // Re-planned from the new time: 23:00 local comes again, on time.
    const auto before = site.clock.now();
    site.clock.advance(utc(22) - 1s - site.clock.now());
    CHECK(run.area("park")["level"] == 80);
    site.clock.advance(1s);
    CHECK(run.area("park")["level"] == 30);
    steady += std::chrono::duration_cast<std::chrono::steady_clock::duration>(site.clock.now() - before);

    // Unsynchronised is reported on every check; it does not re-plan by itself.
    synchronised = false;
    steady += 60s;
    site.clock.advance(60s);
    health = watch.check();
    CHECK_FALSE(health.jump.jumped());
    CHECK(health.ntp.known);
    CHECK_FALSE(health.ntp.synchronised);
    CHECK(heard.size() == 5);
}

TEST_CASE("clock: a forward jump does not make a fresh photocell reading stale",
          "[lighting][clock][photocell]") {
    Site site;
    site.clock.set(site.window.astro_on + 2min);  // after sunset, inside the evening window
    Run run(site);
    run.lux(500);  // still bright: dark although the schedule says 80
    run.fire();
    REQUIRE(run.area("torget")["level"] == 0);
    auto steady = std::chrono::steady_clock::time_point{} + 1h;
    lighting::ClockSources sources;
    sources.steady = [&] { return steady; };
    sources.ntp = [] { return policy::ntp_status_from(0, 0, 100, 10); };
    lighting::ClockWatch watch(site.timers, site.clock, run.uplink, sources);
    watch.add_listener([&](SystemTime at, const policy::ClockHealth& h) { run.lighting.on_clock(at, h); });
    watch.check();
    steady += 10s;
    site.clock.advance(10s);
    site.clock.set(site.clock.now() + 5min);  // a 5 min step: beyond max_age_s (120) if taken at face value
    REQUIRE(watch.check().jump.jumped());
    CHECK(run.area("torget")["photocell"]["basis"] == "sensor");
    CHECK(run.area("torget")["level"] == 0);  // no flash of the astro fallback
    // The reading's age moved with the step: it is 70 s old (elapsed time), stale at 121 s.
    site.clock.advance(50s);
    CHECK(run.area("torget")["photocell"]["basis"] == "sensor");
    site.clock.advance(1s);
    CHECK(run.area("torget")["level"] == 80);  // no reading since: the astro clock decides
}

TEST_CASE("photocell: a dusk-relay contact reads as dark (0 lx) or light (bright_lux)",
          "[lighting][photocell]") {
    auto result = config::load_string(R"(version: 1
gateway: { id: gw }
site: { latitude: 56.43, longitude: 12.85, timezone: Europe/Stockholm }
areas: [{ id: torget, profile: p }]
profiles: { p: [{ at: sunset, level: 80 }, { at: sunrise, level: 0 }] }
modbus:
  networks: [{ id: lan, type: tcp, host: 127.0.0.1 }]
  devices: [{ id: io1, network: lan, unit: 2, template: relay-di-8 }]
photocells:
  - { id: closed-dark, device: io1, value: photocell, areas: [torget] }
)");
    REQUIRE(result.ok());
    auto config = *result.config;
    lighting::PhotocellInputs inputs(config, policy::Place::of(config.site));
    const auto t = utc(12);
    cabinet::MeterValues v;
    v.meter = "io1";
    v.available = true;
    v.ts = t;
    v.values["photocell"] = {1, true};
    REQUIRE(inputs.take(v));
    CHECK(inputs.describe("torget")["lux"] == 0.0);
    v.values["photocell"] = {0, true};
    inputs.take(v);
    CHECK(inputs.describe("torget")["lux"] == 1000.0);
    config.photocells[0].dark_when_closed = false;
    lighting::PhotocellInputs open_dark(config, policy::Place::of(config.site));
    open_dark.take(v);
    CHECK(open_dark.describe("torget")["lux"] == 0.0);
    v.meter = "meter9";  // another device: not a reading of this photocell
    CHECK_FALSE(open_dark.take(v));
    v.meter = "io1";
    v.available = false;
    open_dark.take(v);
    CHECK(open_dark.describe("torget")["lux"].is_null());
    CHECK(open_dark.describe("park").is_null());
}
