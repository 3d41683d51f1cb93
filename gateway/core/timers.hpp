#pragma once
// Timers: the other half of injected time. Everything that waits (retries,
// backoff, sweeps, debounce, heartbeats, coalescing, flushes, pruning) asks a
// Timers for a callback instead of owning an asio timer, so tests can run the
// same code on virtual time: ManualTimers fires due callbacks inside
// ManualClock::advance()/set(), with no real waiting.
//
// Two kinds of deadline, because they behave differently when the wall clock
// is stepped: `after` counts elapsed (monotonic) time and ignores wall-clock
// jumps; `at` names a wall-clock instant (sunset, midnight, a flag's end) and
// fires once the wall clock has reached it, jump or not.
#include "gateway/core/clock.hpp"

#include <chrono>
#include <functional>
#include <memory>

namespace lykta {

namespace timer_detail {
// Shared between a Timer handle and the scheduled callback: whichever comes
// first (cancel, destruction of the handle, or the callback running) ends it.
struct State {
    bool done = false;
    std::function<void()> on_cancel;  // implementation's way to drop the wait early
};
}  // namespace timer_detail

// A scheduled callback. Cancelled when cancel() is called or the handle is
// destroyed or assigned over, so a feature holding its Timer members can never
// be called back after it is gone. Move-only.
class Timer {
public:
    Timer() = default;
    explicit Timer(std::shared_ptr<timer_detail::State> state) : state_(std::move(state)) {}
    Timer(Timer&&) noexcept = default;
    Timer& operator=(Timer&& other) noexcept {
        if (this != &other) {
            cancel();
            state_ = std::move(other.state_);
        }
        return *this;
    }
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;
    ~Timer() { cancel(); }

    void cancel() noexcept {
        if (state_ && !state_->done) {
            state_->done = true;
            if (state_->on_cancel) state_->on_cancel();
        }
        state_.reset();
    }
    // True while the callback is scheduled and has neither run nor been cancelled.
    bool pending() const noexcept { return state_ && !state_->done; }

private:
    std::shared_ptr<timer_detail::State> state_;
};

class Timers {
public:
    using Callback = std::function<void()>;
    using Duration = std::chrono::steady_clock::duration;

    virtual ~Timers() = default;
    // Runs `fn` on the event loop once `delay` of elapsed time has passed.
    virtual Timer after(Duration delay, Callback fn) = 0;
    // Runs `fn` on the event loop once the wall clock reads `when` or later
    // (at once, from the loop, when that is already past).
    virtual Timer at(SystemTime when, Callback fn) = 0;
};

// A period or delay given in (fractional) seconds, as the config has them.
inline Timers::Duration seconds_to_duration(double seconds) {
    return std::chrono::duration_cast<Timers::Duration>(std::chrono::duration<double>(seconds));
}

}  // namespace lykta
