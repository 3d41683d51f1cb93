#include "gateway/core/manual_timers.hpp"

#include <algorithm>

namespace lykta {

ManualTimers::ManualTimers(ManualClock& clock) : clock_(clock) {
    clock_.attach(this);
}

ManualTimers::~ManualTimers() {
    clock_.attach(nullptr);
    // Handles may outlive us; they must see their callbacks as finished.
    for (auto& e : entries_) e.state->done = true;
}

Timer ManualTimers::add(Entry e) {
    e.state = std::make_shared<timer_detail::State>();
    e.order = next_order_++;
    auto state = e.state;
    entries_.push_back(std::move(e));
    return Timer(std::move(state));
}

Timer ManualTimers::after(Duration delay, Callback fn) {
    Entry e;
    e.elapsed_due = clock_.elapsed() + std::chrono::duration_cast<ManualClock::Duration>(delay);
    e.fn = std::move(fn);
    return add(std::move(e));
}

Timer ManualTimers::at(SystemTime when, Callback fn) {
    Entry e;
    e.wall = true;
    e.when = when;
    e.fn = std::move(fn);
    return add(std::move(e));
}

ManualClock::Duration ManualTimers::time_to(const Entry& e) const {
    return e.wall ? e.when - clock_.now() : e.elapsed_due - clock_.elapsed();
}

void ManualTimers::drop_finished() {
    std::erase_if(entries_, [](const Entry& e) { return e.state->done; });
}

std::size_t ManualTimers::pending() const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [](const Entry& e) { return !e.state->done; }));
}

std::optional<SystemTime> ManualTimers::next_due() const {
    std::optional<SystemTime> next;
    for (const auto& e : entries_) {
        if (e.state->done) continue;
        const SystemTime due = clock_.now() + std::max(time_to(e), ManualClock::Duration{0});
        if (!next || due < *next) next = due;
    }
    return next;
}

void ManualTimers::run_until(ManualClock& clock, ManualClock::Duration elapsed_target) {
    for (;;) {
        drop_finished();
        if (entries_.empty()) return;
        // Linear scan: a test schedules a handful of callbacks, and callbacks
        // may schedule or cancel others, which would invalidate a heap.
        std::size_t first = 0;
        for (std::size_t i = 1; i < entries_.size(); ++i) {
            const auto a = time_to(entries_[i]);
            const auto b = time_to(entries_[first]);
            if (a < b || (a == b && entries_[i].order < entries_[first].order)) first = i;
        }
        const auto wait = std::max(time_to(entries_[first]), ManualClock::Duration{0});
        if (clock.elapsed() + wait > elapsed_target) return;
        clock.step(wait);
        entries_[first].state->done = true;
        Callback fn = std::move(entries_[first].fn);
        drop_finished();  // before the call: fn may schedule more
        fn();
    }
}

}  // namespace lykta
