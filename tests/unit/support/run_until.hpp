#pragma once
// Runs an io_context until `pred` holds: how in-process tests wait on real
// transports (loopback TCP, ptys, worker threads) without sleeping. The limit
// only bounds a failing test; a passing one returns as soon as pred holds
// (30 s leaves room for valgrind and the sanitizers).
#include <asio/io_context.hpp>
#include <chrono>

#include "gateway/core/manual_timers.hpp"

namespace lykta::test {

template <class Pred>
bool run_until(asio::io_context& io, Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
        io.restart();
        io.run_one_for(std::chrono::milliseconds(10));
    }
    return pred();
}

// The same with the features' waits on virtual time: I/O handlers run as they
// come; once the loop has had nothing to do for 10 ms (no transfer in flight),
// `clock` jumps to the next timer due (a sweep, a retry), so a 60 s sweep
// period costs no real time and virtual time moves only while the loop is idle.
template <class Pred>
bool run_until(asio::io_context& io, ManualClock& clock, ManualTimers& timers, Pred pred,
               std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
        io.restart();
        if (io.run_one_for(std::chrono::milliseconds(10)) > 0) continue;
        if (const auto due = timers.next_due()) clock.advance(*due - clock.now());
    }
    return pred();
}

}  // namespace lykta::test
