// The contactor follows the lighting targets: what it wants, when it writes,
// how it retries and what it reports. The write is a scripted stand-in for the
// poller (the network path is covered by tests/integration/test_contactor.py);
// the retry timer runs on a real io_context with a 10 ms first backoff. Most
// cases start with the first poll having read the output off (the state a
// daemon start learns before it switches anything on).
#include <catch2/catch.hpp>

#include <deque>

#include "gateway/meters/contactor_control.hpp"

using namespace lykta;
using namespace lykta::meters;
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

// Records every write; answers it at once with the next scripted outcome
// (ok with the written value read back when the script is empty).
struct Bench {
    asio::io_context io;
    ManualClock clock{SystemTime{} + 1000h};
    std::vector<Written> writes;
    std::deque<modbus::WriteOutcome> script;
    std::vector<std::string> changed;
    std::vector<std::vector<std::string>> powered_up;
    ContactorControl control;

    explicit Bench(double retry_s = 0.01, double power_up_s = 2,
                   std::chrono::milliseconds first_poll_wait = 2s)
        : control(
              io, {{config_for(retry_s, power_up_s), 0, "contactor"}},
              [this](const std::string& device, std::size_t index, double value,
                     modbus::Poller::WriteDone done) {
                  writes.push_back({device, index, value});
                  modbus::WriteOutcome outcome{Kind::ok, value, {}};
                  if (!script.empty()) {
                      outcome = script.front();
                      script.pop_front();
                  }
                  asio::post(io, [done = std::move(done), outcome] { done(outcome); });
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
    // Runs handlers until `done()` holds or 5 s passed.
    template <class Pred>
    bool run_until(Pred done) {
        auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            io.restart();
            io.run_for(5ms);
        }
        return done();
    }
    // Runs handlers for `span` of steady time (to show something did not happen).
    void run_for(std::chrono::milliseconds span) {
        asio::steady_timer sentinel(io, span);
        bool over = false;
        sentinel.async_wait([&](const asio::error_code&) { over = true; });
        run_until([&] { return over; });
    }
    void drain() {
        io.restart();
        io.poll();
    }
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
    b.drain();
    CHECK(b.writes.empty());  // not started: nothing on the bus yet
    b.control.start();
    REQUIRE(b.run_until([&] { return b.control.describe("io1")["contactor"]["state"] == "on"; }));
    REQUIRE(b.writes.size() == 1);
    CHECK(b.writes[0].device == "io1");
    CHECK(b.writes[0].value == 1);
    auto described = b.control.describe("io1")["contactor"];
    CHECK(described["wanted"] == true);
    CHECK(described["areas"] == nlohmann::json{"torget", "hamn"});
    CHECK(described["since"] == "1970-02-11T16:00:00.000Z");
    CHECK(b.control.describe("meter1").empty());

    // Another target in a lit area: still on, no write.
    b.control.on_targets({}, {target("L1", "torget", 30), target("L2", "hamn", 80)});
    b.drain();
    CHECK(b.writes.size() == 1);
    CHECK(b.control.unpowered_areas("io1").empty());

    // Everything dark: off.
    b.control.on_targets({}, {target("L1", "torget", 0), target("L2", "hamn", 0)});
    REQUIRE(b.run_until([&] { return b.control.describe("io1")["contactor"]["state"] == "off"; }));
    REQUIRE(b.writes.size() == 2);
    CHECK(b.writes[1].value == 0);
    CHECK(b.control.unpowered_areas("io1") == std::vector<std::string>{"torget", "hamn"});
    CHECK(b.control.unpowered_areas("meter1").empty());
}

TEST_CASE("a failed write is retried with backoff until the device takes it") {
    Bench b;
    b.script = {{Kind::timeout, 0, "unit 2 write coil 0: timeout"},
                {Kind::bus_error, 0, "contactor: wrote 1 but read back 0"},
                {Kind::ok, 1, {}}};
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});
    REQUIRE(b.run_until([&] { return b.control.describe("io1")["contactor"]["state"] == "failing"; }));
    auto failing = b.control.describe("io1")["contactor"];
    const auto error = failing.value("error", std::string());
    // The first or (when the 10 ms retry already ran) the second failure.
    CHECK((error == "unit 2 write coil 0: timeout" || error == "contactor: wrote 1 but read back 0"));
    CHECK(b.control.unpowered_areas("io1").empty());  // not known to be off
    REQUIRE(b.run_until([&] { return b.control.describe("io1")["contactor"]["state"] == "on"; }));
    CHECK(b.writes.size() == 3);
    CHECK_FALSE(b.control.describe("io1")["contactor"].contains("error"));
    for (const auto& w : b.writes) CHECK(w.value == 1);
}

TEST_CASE("a new wish replaces a failing one at once") {
    Bench b(30);  // a retry would come only after 30 s
    b.script = {{Kind::timeout, 0, "timeout"}};
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});
    REQUIRE(b.run_until([&] { return b.control.describe("io1")["contactor"]["state"] == "failing"; }));
    b.control.on_targets({}, {target("L1", "torget", 0)});
    REQUIRE(b.run_until([&] { return b.control.describe("io1")["contactor"]["state"] == "off"; }));
    REQUIRE(b.writes.size() == 2);
    CHECK(b.writes[1].value == 0);
}

TEST_CASE("an output found switched by someone else is switched back; one that agrees is left alone") {
    Bench b;
    b.control.on_targets({}, {target("L1", "torget", 100)});
    b.control.on_polled("io1", 0, true);  // the first poll: already on
    b.control.start();
    b.drain();
    CHECK(b.writes.empty());
    CHECK(b.control.describe("io1")["contactor"]["state"] == "on");
    b.control.on_polled("io1", 3, false);  // another coil of the device: not ours
    b.control.on_polled("meter1", 0, false);
    b.drain();
    CHECK(b.writes.empty());
    b.control.on_polled("io1", 0, false);  // the relay module lost its coils
    REQUIRE(b.run_until([&] { return b.control.describe("io1")["contactor"]["state"] == "on"; }));
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
    b.control.on_targets({}, {target("L1", "torget", 0)});
    b.drain();
    CHECK(b.writes.size() == 1);
}

TEST_CASE("an output read back on after off tells the power-up listener after power_up_s") {
    Bench b(0.01, 0.02);
    const std::vector<std::string> areas{"torget", "hamn"};
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});  // off -> written on, read back on
    REQUIRE(b.run_until([&] { return !b.powered_up.empty(); }));
    CHECK(b.powered_up == std::vector<std::vector<std::string>>{areas});
    b.control.on_polled("io1", 0, true);  // polls that agree: the gear have had mains all along
    b.run_for(60ms);
    CHECK(b.powered_up.size() == 1);

    b.control.on_targets({}, {target("L1", "torget", 0)});
    REQUIRE(b.run_until([&] { return b.control.describe("io1")["contactor"]["state"] == "off"; }));
    b.run_for(60ms);
    CHECK(b.powered_up.size() == 1);  // going off needs no levels
    b.control.on_targets({}, {target("L1", "torget", 40)});
    REQUIRE(b.run_until([&] { return b.powered_up.size() == 2; }));
    CHECK(b.powered_up[1] == areas);
}

TEST_CASE("an output that drops again before power_up_s does not tell the listener") {
    Bench b(30, 0.02);  // no retry within the test
    b.control.on_targets({}, {target("L1", "torget", 0)});
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_polled("io1", 0, true);  // switched on by hand: switched back off at once
    b.run_for(80ms);
    REQUIRE(b.writes.size() == 1);
    CHECK(b.writes[0].value == 0);
    CHECK(b.powered_up.empty());
    CHECK(b.control.describe("io1")["contactor"]["state"] == "off");
}

TEST_CASE("after stop a pending power-up is dropped") {
    Bench b(0.01, 0.02);
    b.control.on_polled("io1", 0, false);
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});
    REQUIRE(b.run_until([&] { return b.control.describe("io1")["contactor"]["state"] == "on"; }));
    b.control.stop();
    b.run_for(80ms);
    CHECK(b.powered_up.empty());
}

TEST_CASE("a start that finds the output already on writes nothing and sends no levels again") {
    Bench b(0.01, 0.02);
    b.control.on_targets({}, {target("L1", "torget", 100)});  // the policy's wish at start
    b.control.start();
    b.run_for(20ms);
    CHECK(b.writes.empty());              // waits to learn whether the gear have mains
    b.control.on_polled("io1", 0, true);  // the first poll: the lights were burning all along
    b.run_for(80ms);
    CHECK(b.writes.empty());
    CHECK(b.powered_up.empty());
    CHECK(b.control.describe("io1")["contactor"]["state"] == "on");

    // A later real off -> on still re-sends.
    b.control.on_targets({}, {target("L1", "torget", 0)});
    REQUIRE(b.run_until([&] { return b.control.describe("io1")["contactor"]["state"] == "off"; }));
    b.control.on_targets({}, {target("L1", "torget", 60)});
    REQUIRE(b.run_until([&] { return b.powered_up.size() == 1; }));
}

TEST_CASE("a start that finds the output off switches it on and sends the levels again") {
    Bench b(0.01, 0.02);
    b.control.on_targets({}, {target("L1", "torget", 100)});
    b.control.start();
    b.control.on_polled("io1", 0, false);  // the first poll: no mains behind the contactor
    REQUIRE(b.run_until([&] { return !b.powered_up.empty(); }));
    REQUIRE(b.writes.size() == 1);
    CHECK(b.writes[0].value == 1);
}

TEST_CASE("an output never read goes on after the first-poll wait and counts as a power-up") {
    Bench b(0.01, 0.02, 30ms);  // the device answers writes but no poll came
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 100)});
    b.drain();
    CHECK(b.writes.empty());
    REQUIRE(b.run_until([&] { return !b.powered_up.empty(); }));
    REQUIRE(b.writes.size() == 1);
    CHECK(b.writes[0].value == 1);
}

TEST_CASE("switching off never waits for a poll") {
    Bench b;
    b.control.start();
    b.control.on_targets({}, {target("L1", "torget", 0)});
    REQUIRE(b.run_until([&] { return b.control.describe("io1")["contactor"]["state"] == "off"; }));
    REQUIRE(b.writes.size() == 1);
    CHECK(b.writes[0].value == 0);
    CHECK(b.powered_up.empty());
}
