// The contactor follows the lighting targets: what it wants, when it writes,
// how it retries and what it reports. The write is a scripted stand-in for the
// poller (the network path is covered by tests/integration/test_contactor.py)
// that answers on the next turn of the loop. Time is virtual (ManualClock +
// ManualTimers) and the periods are the configured defaults (retry 2 s doubling,
// power-up 2 s, first-poll wait 2 s): a test advances the clock to the moment
// that matters and checks, so "nothing happened" is checked at a named time,
// not after a real wait. Most cases start with the first poll having read the
// output off (the state a daemon start learns before it switches anything on).
#include <catch2/catch.hpp>

#include <deque>

#include "gateway/cabinet/contactor_control.hpp"
#include "gateway/core/manual_timers.hpp"

using namespace lykta;
using namespace lykta::cabinet;
using namespace std::chrono_literals;
using Kind = modbus::WriteOutcome::Kind;

namespace {

lighting::LuminaireTarget target(const std::string& luminaire, const std::string& area, double level) {
    return {luminaire, area, level, level, 0, "schedule"};
}

struct Written {
    std::string device;
    std::size_t index;
    double value;
};

// Records every write; answers it on the next loop turn (advance(0s)) with the
// next scripted outcome (ok with the written value read back when the script is empty).
struct Bench {
    ManualClock clock{SystemTime{} + 1000h};
    ManualTimers timers{clock};
    std::vector<Written> writes;
    std::deque<modbus::WriteOutcome> script;
    std::vector<Timer> answers;
    std::vector<std::string> changed;
    std::vector<std::vector<std::string>> powered_up;
    ContactorControl control;

    explicit Bench(double retry_s = 2, double power_up_s = 2, std::chrono::milliseconds first_poll_wait = 2s)
        : control(
              timers, {{config_for(retry_s, power_up_s), 0, "contactor"}},
              [this](const std::string& device, std::size_t index, double value,
                     modbus::Poller::WriteDone done) {
                  writes.push_back({device, index, value});
                  modbus::WriteOutcome outcome{Kind::ok, value, {}};
                  if (!script.empty()) {
                      outcome = script.front();
                      script.pop_front();
                  }
                  answers.push_back(timers.after(0s, [done = std::move(done), outcome] { done(outcome); }));
              },
              [this](const std::string& device) { changed.push_back(device); }, clock, first_poll_wait) {
        control.set_power_up_listener(
            [this](const std::vector<std::string>& areas) { powered_up.push_back(areas); });
    }

    static config::ModbusContactor config_for(double retry_s, double power_up_s) {
        config::ModbusContactor c;
        c.device = "io1";
        c.value = "contactor";
        c.areas = {"torget", "hamn"};
        c.retry_s = retry_s;
        c.power_up_s = power_up_s;
        return c;
    }
    // Runs what is due now (the write answers), without letting time pass.
    void drain() { clock.advance(0s); }
    std::string state() const { return control.describe("io1")["contactor"]["state"]; }
};

}  // namespace

TEST_CASE("a contactor is wanted while any luminaire of its areas has a target above 0") {
    std::vector<std::string> areas{"torget", "hamn"};
    CHECK_FALSE(contactor_wanted(areas, {}));
    CHECK_FALSE(contactor_wanted(areas, {target("L1", "torget", 0), target("L2", "hamn", 0)}));
    CHECK_FALSE(contactor_wanted(areas, {target("L1", "torget", 0), target("P1", "park", 80)}));
    CHECK(contactor_wanted(areas, {target("L1", "torget", 0), target("L2", "hamn", 0.5)}));
    CHECK(contactor_wanted(areas, {target("L1", "torget", 100)}));
}

TEST_CASE("wishes before start are written at start, then only when they change") {
    Bench b;
    b.control.on_polled("io1", 0, false);
    b.control.on_targets({}, {target("L1", "torget", 50)});
    b.clock.advance(1min);
    CHECK(b.writes.empty());  // not started: nothing on the bus yet
    b.control.start();
    b.drain();
    CHECK(b.state() == "on");
    REQUIRE(b.writes.size() == 1);
    CHECK(b.writes[0].device == "io1");
    CHECK(b.writes[0].value == 1);
    auto described = b.control.describe("io1")["contactor"];
    CHECK(described["wanted"] == true);
    CHECK(described["areas"] == nlohmann::json{"torget", "hamn"});
    CHECK(described["since"] == "1970-02-11T16:01:00.000Z");
    CHECK(b.control.describe("meter1").empty());

    // Another target in a lit area: still on, no write.
    b.control.on_targets({}, {target("L1", "torget", 30), target("L2", "hamn", 80)});
    b.clock.advance(1min);
    CHECK(b.writes.size() == 1);
    CHECK(b.control.unpowered_areas("io1").empty());

    // Everything dark: off.
    b.control.on_targets({}, {target("L1", "torget", 0), target("L2", "hamn", 0)});
    b.drain();
    CHECK(b.state() == "off");
    REQUIRE(b.writes.size() == 2);
    CHECK(b.writes[1].value == 0);
    CHECK(b.control.unpowered_areas("io1") == std::vector<std::string>{"torget", "hamn"});
    CHECK(b.control.unpowered_areas("meter1").empty());
}

TEST_CASE("a failed write is retried with backoff until the device takes it") {
    Bench b;  // retry_s 2: retries 2 s, then 4 s, then 8 s after the failures
    b.script = {{Kind::timeout, 0, "unit 2 write coil 0: timeout"},
                {Kind::bus_error, 0, "contactor: wrote 1 but read back 0"},
                {Kind::timeout, 0, "unit 2 write coil 0: timeout"},
                {Kind::ok, 1, {}}};
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});
    b.drain();
    CHECK(b.state() == "failing");
    CHECK(b.control.describe("io1")["contactor"]["error"] == "unit 2 write coil 0: timeout");
    CHECK(b.control.unpowered_areas("io1").empty());  // not known to be off
    CHECK(b.writes.size() == 1);

    b.clock.advance(1999ms);
    CHECK(b.writes.size() == 1);  // not before the first backoff
    b.clock.advance(1ms);
    CHECK(b.writes.size() == 2);
    CHECK(b.control.describe("io1")["contactor"]["error"] == "contactor: wrote 1 but read back 0");

    b.clock.advance(3999ms);
    CHECK(b.writes.size() == 2);  // the backoff doubled
    b.clock.advance(1ms);
    CHECK(b.writes.size() == 3);
    CHECK(b.state() == "failing");

    b.clock.advance(7999ms);
    CHECK(b.writes.size() == 3);
    b.clock.advance(1ms);
    CHECK(b.writes.size() == 4);
    CHECK(b.state() == "on");
    CHECK_FALSE(b.control.describe("io1")["contactor"].contains("error"));
    for (const auto& w : b.writes) CHECK(w.value == 1);
    b.clock.advance(10min);
    CHECK(b.writes.size() == 4);  // taken: no more writes
}

TEST_CASE("the retry backoff stops doubling at 60 s") {
    Bench b(16);
    for (int i = 0; i < 5; ++i) b.script.push_back({Kind::timeout, 0, "timeout"});
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});
    b.drain();
    std::vector<SystemTime> at;
    auto started = b.clock.now();
    for (std::size_t n = 2; n <= 5; ++n) {
        REQUIRE(b.timers.next_due());
        b.clock.advance(*b.timers.next_due() - b.clock.now());
        REQUIRE(b.writes.size() == n);
        at.push_back(b.clock.now());
    }
    // 16, 32, then 60 and 60 (not 64, 128).
    CHECK(at[0] - started == 16s);
    CHECK(at[1] - at[0] == 32s);
    CHECK(at[2] - at[1] == 60s);
    CHECK(at[3] - at[2] == 60s);
}

TEST_CASE("a new wish replaces a failing one at once") {
    Bench b(30);  // a retry would come only after 30 s
    b.script = {{Kind::timeout, 0, "timeout"}};
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});
    b.drain();
    CHECK(b.state() == "failing");
    b.clock.advance(1s);
    b.control.on_targets({}, {target("L1", "torget", 0)});
    b.drain();
    CHECK(b.state() == "off");
    REQUIRE(b.writes.size() == 2);
    CHECK(b.writes[1].value == 0);
    b.clock.advance(5min);
    CHECK(b.writes.size() == 2);  // the old wish's retry was dropped
}

TEST_CASE("an output found switched by someone else is switched back; one that agrees is left alone") {
    Bench b;
    b.control.on_targets({}, {target("L1", "torget", 100)});
    b.control.on_polled("io1", 0, true);  // the first poll: already on
    b.control.start();
    b.clock.advance(1min);
    CHECK(b.writes.empty());
    CHECK(b.state() == "on");
    b.control.on_polled("io1", 3, false);  // another coil of the device: not ours
    b.control.on_polled("meter1", 0, false);
    b.clock.advance(1min);
    CHECK(b.writes.empty());
    b.control.on_polled("io1", 0, false);  // the relay module lost its coils
    b.drain();
    CHECK(b.state() == "on");
    REQUIRE(b.writes.size() == 1);
    CHECK(b.writes[0].value == 1);
}

TEST_CASE("after stop nothing is written and late answers are ignored") {
    Bench b;
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});
    b.control.stop();
    b.drain();  // the answer to the write in flight arrives after stop
    CHECK(b.writes.size() == 1);
    CHECK(b.state() == "switching");  // the late answer was not taken
    b.control.on_targets({}, {target("L1", "torget", 0)});
    b.clock.advance(1min);
    CHECK(b.writes.size() == 1);
    CHECK(b.powered_up.empty());
}

TEST_CASE("an output read back on after off tells the power-up listener after power_up_s") {
    Bench b;  // power_up_s 2
    const std::vector<std::string> areas{"torget", "hamn"};
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});  // off -> written on, read back on
    b.drain();
    CHECK(b.state() == "on");
    b.clock.advance(1999ms);
    CHECK(b.powered_up.empty());  // the gear are still booting
    b.clock.advance(1ms);
    CHECK(b.powered_up == std::vector<std::vector<std::string>>{areas});
    b.control.on_polled("io1", 0, true);  // polls that agree: the gear have had mains all along
    b.clock.advance(1min);
    CHECK(b.powered_up.size() == 1);

    b.control.on_targets({}, {target("L1", "torget", 0)});
    b.drain();
    CHECK(b.state() == "off");
    b.clock.advance(1min);
    CHECK(b.powered_up.size() == 1);  // going off needs no levels
    b.control.on_targets({}, {target("L1", "torget", 40)});
    b.clock.advance(2s);
    REQUIRE(b.powered_up.size() == 2);
    CHECK(b.powered_up[1] == areas);
}

TEST_CASE("an output that drops again before power_up_s does not tell the listener") {
    Bench b(30);  // no retry within the test
    b.control.on_targets({}, {target("L1", "torget", 0)});
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_polled("io1", 0, true);  // switched on by hand: switched back off at once
    b.clock.advance(1min);
    REQUIRE(b.writes.size() == 1);
    CHECK(b.writes[0].value == 0);
    CHECK(b.powered_up.empty());
    CHECK(b.state() == "off");
}

TEST_CASE("after stop a pending power-up is dropped") {
    Bench b;
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});
    b.drain();
    CHECK(b.state() == "on");
    CHECK(b.timers.pending() == 1);  // the power-up
    b.control.stop();
    CHECK(b.timers.pending() == 0);
    b.clock.advance(1min);
    CHECK(b.powered_up.empty());
}

TEST_CASE("a start that finds the output already on writes nothing and sends no levels again") {
    Bench b;
    b.control.on_targets({}, {target("L1", "torget", 100)});  // the policy's wish at start
    b.control.start();
    b.clock.advance(1s);
    CHECK(b.writes.empty());              // waits (2 s at most) to learn whether the gear have mains
    b.control.on_polled("io1", 0, true);  // the first poll: the lights were burning all along
    b.clock.advance(1min);
    CHECK(b.writes.empty());
    CHECK(b.powered_up.empty());
    CHECK(b.state() == "on");

    // A later real off -> on still re-sends.
    b.control.on_targets({}, {target("L1", "torget", 0)});
    b.drain();
    CHECK(b.state() == "off");
    b.control.on_targets({}, {target("L1", "torget", 60)});
    b.clock.advance(2s);
    CHECK(b.powered_up.size() == 1);
}

TEST_CASE("a start that finds the output off switches it on and sends the levels again") {
    Bench b;
    b.control.on_targets({}, {target("L1", "torget", 100)});
    b.control.start();
    b.clock.advance(500ms);
    b.control.on_polled("io1", 0, false);  // the first poll: no mains behind the contactor
    b.drain();
    REQUIRE(b.writes.size() == 1);  // at once, not at the end of the first-poll wait
    CHECK(b.writes[0].value == 1);
    b.clock.advance(2s);
    CHECK(b.powered_up.size() == 1);
}

TEST_CASE("an output never read goes on after the first-poll wait and counts as a power-up") {
    Bench b;  // the device answers writes but no poll came
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});
    b.clock.advance(1999ms);
    CHECK(b.writes.empty());
    b.clock.advance(1ms);
    REQUIRE(b.writes.size() == 1);
    CHECK(b.writes[0].value == 1);
    b.clock.advance(1999ms);
    CHECK(b.powered_up.empty());
    b.clock.advance(1ms);
    CHECK(b.powered_up.size() == 1);
}

TEST_CASE("switching off never waits for a poll") {
    Bench b;
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 0)});
    b.drain();
    CHECK(b.state() == "off");
    REQUIRE(b.writes.size() == 1);
    CHECK(b.writes[0].value == 0);
    b.clock.advance(1min);
    CHECK(b.powered_up.empty());
}
