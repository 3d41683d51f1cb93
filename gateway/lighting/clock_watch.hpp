#pragma once
// Clock safety in the daemon (docs/policy.md, "Clock safety"): once a period
// (and at start) the wall clock is compared with where the steady clock says
// it should be (a jump) and the kernel's NTP state is read (synchronised?).
// Observers hear every assessment: the lighting feature re-plans on a jump,
// the faults room keeps clock_unsynchronised and clock_jump. A jump is also
// announced as a `clock.jumped` event. Loop thread only.
//
// The sources are injected: tests drive a ManualClock as the wall clock, a
// steady time and the NTP answer by hand, and ManualTimers run the period.
#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "gateway/api/feature.hpp"
#include "gateway/api/uplink.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/timers.hpp"
#include "gateway/policy/clock_health.hpp"

namespace lykta::lighting {

// Told after every assessment, with the wall time it was made at.
using ClockListener = std::function<void(SystemTime at, const policy::ClockHealth& health)>;

struct ClockSources {
    std::function<std::chrono::steady_clock::time_point()> steady = [] {
        return std::chrono::steady_clock::now();
    };
    std::function<policy::NtpStatus()> ntp = [] { return policy::read_ntp_status(); };
};

struct ClockWatchSettings {
    std::chrono::seconds period{60};
    // NTP slews small offsets and steps beyond ~0.128 s (ntpd) or 1 s
    // (chrony's usual makestep); 2 s is a step, not a timer's lateness.
    std::chrono::milliseconds jump_threshold{2000};
};

class ClockWatch final : public Feature {
public:
    ClockWatch(Timers& timers, const Clock& wall, Uplink& uplink, ClockSources sources = {},
               ClockWatchSettings settings = {});
    void start() override;  // first assessment now, then every period
    void stop() override;

    void add_listener(ClockListener listener) { listeners_.push_back(std::move(listener)); }

    // One assessment at the wall clock's now: tells the observers, returns it.
    policy::ClockHealth check();

private:
    void arm();

    const Clock& wall_;
    Uplink& uplink_;
    ClockSources sources_;
    ClockWatchSettings settings_;
    Timers& timers_;
    Timer timer_;
    std::optional<SystemTime> last_wall_;
    std::chrono::steady_clock::time_point last_steady_{};
    std::optional<bool> last_synchronised_;  // for one log line per change
    std::vector<ClockListener> listeners_;
};

}  // namespace lykta::lighting
