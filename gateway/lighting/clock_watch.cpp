#include "gateway/lighting/clock_watch.hpp"

#include <spdlog/spdlog.h>

#include "gateway/core/periodic.hpp"
#include "gateway/core/rfc3339.hpp"
#include "gateway/policy/policy_json.hpp"

namespace lykta::lighting {

ClockWatch::ClockWatch(Timers& timers, const Clock& wall, Uplink& uplink, ClockSources sources,
                       ClockWatchSettings settings)
    : wall_(wall), uplink_(uplink), sources_(std::move(sources)), settings_(settings), timers_(timers) {}

void ClockWatch::start() {
    check();
    arm();
}

void ClockWatch::stop() {
    timer_.cancel();
}

void ClockWatch::arm() {
    // Elapsed time, not the wall clock: the period must not stretch or vanish with a jump it is to notice.
    timer_ = timers_.after(settings_.period, [this] {
        run_period("lighting: clock check", [this] { check(); });
        arm();
    });
}

policy::ClockHealth ClockWatch::check() {
    const auto observed = wall_.now();
    const auto steady = sources_.steady();
    // The first assessment has nothing to compare with: no jump.
    const auto expected =
        last_wall_ ? *last_wall_ + std::chrono::duration_cast<SystemTime::duration>(steady - last_steady_)
                   : observed;
    auto health = policy::assess_clock(expected, observed, settings_.jump_threshold, sources_.ntp());
    last_wall_ = observed;
    last_steady_ = steady;

    if (health.jump.jumped()) {
        spdlog::warn("clock: {}; re-planning from the new time", health.describe());
        uplink_.publish_event(
            {{"type", "clock.jumped"},
             {"direction", health.jump.kind == policy::ClockJump::Kind::forward ? "forward" : "backward"},
             {"delta_ms", health.jump.delta.count()},
             {"ts", lykta::rfc3339_utc(observed)}});
    }
    const bool synchronised = health.ntp.known && health.ntp.synchronised;
    if (last_synchronised_ != synchronised) {
        if (synchronised)
            spdlog::info("clock: system time synchronised");
        else
            spdlog::warn("clock: {}", health.describe());
        last_synchronised_ = synchronised;
    }
    for (auto& listener : listeners_) listener(observed, health);
    return health;
}

}  // namespace lykta::lighting
