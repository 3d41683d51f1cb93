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

// A clock that moves only when told to; for tests and simulations.
class ManualClock final : public Clock {
public:
    explicit ManualClock(SystemTime start = SystemTime{}) : now_(start) {}
    SystemTime now() const override { return now_; }
    void set(SystemTime t) { now_ = t; }
    template <class Rep, class Period>
    void advance(std::chrono::duration<Rep, Period> d) {
        now_ += std::chrono::duration_cast<SystemTime::duration>(d);
    }

private:
    SystemTime now_;
};

}  // namespace lykta
