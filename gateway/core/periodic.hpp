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
#include <string_view>
#include <utility>

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

}  // namespace lykta
