#pragma once
// One run of a periodic job: a timer handler that does its work and re-arms.
// A run that throws must not end the job (a store refusing one write would
// otherwise stop statistics, telemetry or sweeps until a restart, silently):
// the exception is logged with the job's name and the caller re-arms as usual.
// Storage failures need nothing more here: the store's failure listener has
// raised (or kept) storage_failure before the failing call threw
// (store::Database::set_failure_listener).
#include <spdlog/spdlog.h>

#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "gateway/core/timers.hpp"

namespace lykta {

// Runs `work`; false (logged) when it threw.
template <class Work>
bool run_period(std::string_view job, Work&& work) noexcept {
    try {
        std::forward<Work>(work)();
        return true;
    } catch (const std::exception& e) {
        spdlog::error("{}: this run failed, trying again at the next period: {}", job, e.what());
    } catch (...) {
        spdlog::error("{}: this run failed (unknown exception), trying again at the next period", job);
    }
    return false;
}

// A job that runs `work` every `period` on `timers` (the first run one period
// after start()) until stop() or destruction, each run under run_period: one
// that throws is logged as `job` and the next still comes.
class PeriodicJob {
public:
    PeriodicJob(Timers& timers, std::string job, Timers::Duration period, std::function<void()> work)
        : timers_(timers), job_(std::move(job)), period_(period), work_(std::move(work)) {}

    void start() {
        running_ = true;
        arm();
    }
    void stop() {
        running_ = false;
        timer_.cancel();
    }
    bool running() const { return running_; }

private:
    void arm() {
        timer_ = timers_.after(period_, [this] {
            run_period(job_, work_);
            if (running_) arm();  // unless the work itself stopped the job
        });
    }

    Timers& timers_;
    std::string job_;
    Timers::Duration period_;
    std::function<void()> work_;
    bool running_ = false;
    Timer timer_;
};

}  // namespace lykta
