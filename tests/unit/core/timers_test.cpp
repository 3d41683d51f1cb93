#include "gateway/core/asio_timers.hpp"
#include "gateway/core/manual_timers.hpp"

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace lykta;
using namespace std::chrono_literals;

namespace {
SystemTime t0() {
    return SystemTime{} + std::chrono::hours(24 * 20000);
}
}  // namespace

TEST_CASE("manual timers: callbacks run inside advance, in due order, at their due time", "[timers]") {
    ManualClock clock(t0());
    ManualTimers timers(clock);
    std::vector<std::pair<std::string, SystemTime>> fired;
    auto a = timers.after(3s, [&] { fired.emplace_back("3s", clock.now()); });
    auto b = timers.after(1s, [&] { fired.emplace_back("1s", clock.now()); });
    auto c = timers.at(t0() + 2s, [&] { fired.emplace_back("at 2s", clock.now()); });
    CHECK(timers.pending() == 3);
    CHECK(timers.next_due() == t0() + 1s);

    clock.advance(2500ms);
    REQUIRE(fired.size() == 2);
    CHECK(fired[0] == std::pair<std::string, SystemTime>{"1s", t0() + 1s});
    CHECK(fired[1] == std::pair<std::string, SystemTime>{"at 2s", t0() + 2s});
    CHECK(clock.now() == t0() + 2500ms);
    CHECK(a.pending());
    CHECK_FALSE(b.pending());

    clock.advance(500ms);
    REQUIRE(fired.size() == 3);
    CHECK(fired[2].second == t0() + 3s);
    CHECK(timers.pending() == 0);
}

TEST_CASE("manual timers: equal deadlines run in the order they were scheduled", "[timers]") {
    ManualClock clock(t0());
    ManualTimers timers(clock);
    std::string order;
    auto a = timers.after(1s, [&] { order += 'a'; });
    auto b = timers.at(t0() + 1s, [&] { order += 'b'; });
    auto c = timers.after(1s, [&] { order += 'c'; });
    clock.advance(1s);
    CHECK(order == "abc");
}

TEST_CASE("manual timers: cancel, destroying and assigning over a handle stop the callback", "[timers]") {
    ManualClock clock(t0());
    ManualTimers timers(clock);
    int runs = 0;
    auto cancelled = timers.after(1s, [&] { ++runs; });
    cancelled.cancel();
    CHECK_FALSE(cancelled.pending());
    {
        auto dropped = timers.after(1s, [&] { ++runs; });
    }
    auto replaced = timers.after(1s, [&] { runs += 100; });
    replaced = timers.after(2s, [&] { ++runs; });
    clock.advance(1500ms);
    CHECK(runs == 0);
    clock.advance(1s);
    CHECK(runs == 1);
}

TEST_CASE("manual timers: a callback may re-arm itself; every period in the window runs", "[timers]") {
    ManualClock clock(t0());
    ManualTimers timers(clock);
    std::vector<SystemTime> ticks;
    Timer tick;
    std::function<void()> arm = [&] {
        tick = timers.after(10s, [&] {
            ticks.push_back(clock.now());
            arm();
        });
    };
    arm();
    clock.advance(35s);
    REQUIRE(ticks.size() == 3);
    CHECK(ticks[0] == t0() + 10s);
    CHECK(ticks[2] == t0() + 30s);
    CHECK(tick.pending());
}

TEST_CASE("manual timers: a wall-clock step fires `at` timers and leaves `after` timers alone", "[timers]") {
    ManualClock clock(t0());
    ManualTimers timers(clock);
    int wall = 0, elapsed = 0;
    auto at = timers.at(t0() + 1h, [&] { ++wall; });
    auto after = timers.after(1h, [&] { ++elapsed; });
    clock.set(t0() + 2h);  // NTP steps the clock forward
    CHECK(wall == 1);
    CHECK(elapsed == 0);
    clock.set(t0());  // and back: the elapsed-time deadline is still an hour of running away
    clock.advance(59min);
    CHECK(elapsed == 0);
    clock.advance(1min);
    CHECK(elapsed == 1);
}

TEST_CASE("manual timers: nothing runs inside after/at; advance(0) runs what is already due", "[timers]") {
    ManualClock clock(t0());
    ManualTimers timers(clock);
    int runs = 0;
    auto past = timers.at(t0() - 1h, [&] { ++runs; });
    auto now = timers.after(0s, [&] { ++runs; });
    CHECK(runs == 0);
    clock.advance(0s);
    CHECK(runs == 2);
    CHECK(clock.now() == t0());
}

TEST_CASE("manual timers: a handle that outlives its timers is finished", "[timers]") {
    ManualClock clock(t0());
    Timer handle;
    {
        ManualTimers timers(clock);
        handle = timers.after(1s, [] {});
        CHECK(handle.pending());
    }
    CHECK_FALSE(handle.pending());
    clock.advance(2s);  // no timers attached any more: only time moves
    CHECK(clock.now() == t0() + 2s);
}

TEST_CASE("asio timers: after and at run on the loop in due order; cancelled ones never run", "[timers]") {
    asio::io_context io;
    AsioTimers timers(io);
    std::string order;
    auto slow = timers.after(30ms, [&] { order += 's'; });
    auto fast = timers.after(1ms, [&] { order += 'f'; });
    auto past = timers.at(std::chrono::system_clock::now() - 1h, [&] { order += 'p'; });
    auto cancelled = timers.after(2ms, [&] { order += 'x'; });
    {
        auto dropped = timers.after(2ms, [&] { order += 'd'; });
    }
    cancelled.cancel();
    CHECK(order.empty());  // nothing runs before the loop does
    // run() returns when no wait is left: the cancelled ones complete as aborted.
    io.run_for(10s);
    CHECK(io.stopped());
    CHECK(order == "pfs");
    CHECK_FALSE(slow.pending());
}

TEST_CASE("asio timers: a callback that re-arms its own handle keeps running", "[timers]") {
    asio::io_context io;
    AsioTimers timers(io);
    int ticks = 0;
    Timer tick;
    std::function<void()> arm = [&] {
        tick = timers.after(1ms, [&] {
            if (++ticks < 5) arm();
        });
    };
    arm();
    io.run_for(10s);
    CHECK(ticks == 5);
    CHECK_FALSE(tick.pending());
}
