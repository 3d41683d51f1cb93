// PeriodicJob on virtual time: the period, a run that throws, stop and destruction.
#include "gateway/core/periodic.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

#include "gateway/core/manual_timers.hpp"

using namespace lykta;
using namespace std::chrono_literals;

TEST_CASE("a periodic job runs every period from start() until stop()", "[periodic]") {
    ManualClock clock;
    ManualTimers timers(clock);
    std::vector<ManualClock::Duration> runs;
    PeriodicJob job(timers, "test job", 10s, [&] { runs.push_back(clock.elapsed()); });
    clock.advance(1min);
    CHECK(runs.empty());  // not started
    job.start();
    clock.advance(9999ms);
    CHECK(runs.empty());
    clock.advance(20001ms);
    CHECK(runs == std::vector<ManualClock::Duration>{70s, 80s, 90s});
    job.stop();
    CHECK_FALSE(job.running());
    CHECK(timers.pending() == 0);
    clock.advance(1min);
    CHECK(runs.size() == 3);
}

TEST_CASE("a periodic job whose run throws is logged and runs again at the next period", "[periodic]") {
    ManualClock clock;
    ManualTimers timers(clock);
    int runs = 0;
    PeriodicJob job(timers, "failing job", 1s, [&] {
        ++runs;
        if (runs <= 2) throw std::runtime_error("store refused the write");
    });
    job.start();
    CHECK_NOTHROW(clock.advance(3s));
    CHECK(runs == 3);
    CHECK(timers.pending() == 1);
}

TEST_CASE("a periodic job stopped by its own run does not re-arm; a destroyed one never runs", "[periodic]") {
    ManualClock clock;
    ManualTimers timers(clock);
    int runs = 0;
    PeriodicJob* self = nullptr;
    PeriodicJob job(timers, "once", 1s, [&] {
        ++runs;
        self->stop();
    });
    self = &job;
    job.start();
    clock.advance(5s);
    CHECK(runs == 1);
    CHECK(timers.pending() == 0);

    int other_runs = 0;
    {
        PeriodicJob gone(timers, "gone", 1s, [&] { ++other_runs; });
        gone.start();
    }
    clock.advance(5s);
    CHECK(other_runs == 0);
}
