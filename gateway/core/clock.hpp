#pragma once
// Time is injected: everything that schedules, expires or retries asks a Clock,
// so tests run on virtual time without sleeping.
#include <chrono>

namespace lykta {

using SystemTime = std::chrono::system_clock::time_point;
using Seconds = std::chrono::seconds;

class Clock {
public:
    virtual ~Clock() = default;
    virtual SystemTime now() const = 0;
};

class SystemClock final : public Clock {
public:
    SystemTime now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to; for tests and simulations. Besides the
// wall time it keeps the elapsed (monotonic) time, which advance() moves and
// set() does not: set() is a wall-clock step, as NTP or an operator makes.
// With a ManualTimers attached, advance() and set() run the callbacks that
// fall due on the way, each with the clock reading its due time.
class ManualClock final : public Clock {
public:
    using Duration = SystemTime::duration;

    // What runs timer callbacks as virtual time passes (ManualTimers).
    class Listener {
    public:
        virtual ~Listener() = default;
        // Runs everything due until elapsed() reaches `elapsed_target`, moving
        // the clock with step() to each due time; the clock does the rest.
        virtual void run_until(ManualClock& clock, Duration elapsed_target) = 0;
    };

    explicit ManualClock(SystemTime start = SystemTime{}) : now_(start) {}
    SystemTime now() const override { return now_; }
    Duration elapsed() const { return elapsed_; }

    void set(SystemTime t) {
        now_ = t;
        if (listener_) listener_->run_until(*this, elapsed_);
    }
    template <class Rep, class Period>
    void advance(std::chrono::duration<Rep, Period> d) {
        const Duration target = elapsed_ + std::chrono::duration_cast<Duration>(d);
        if (listener_) listener_->run_until(*this, target);
        if (target > elapsed_) step(target - elapsed_);
    }

    // Moves wall and elapsed time together without running anything; for the Listener.
    void step(Duration d) {
        now_ += d;
        elapsed_ += d;
    }
    void attach(Listener* listener) { listener_ = listener; }

private:
    SystemTime now_;
    Duration elapsed_{0};
    Listener* listener_ = nullptr;
};

}  // namespace lykta
