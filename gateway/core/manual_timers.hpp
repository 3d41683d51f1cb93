#pragma once
// Timers on virtual time, bound to a ManualClock: callbacks run inside the
// clock's advance() or set(), in due order (ties in the order they were
// scheduled), each with the clock reading its due time. Nothing runs from
// inside after()/at() themselves, even when already due; advance(0s) runs
// what is due now, as the next turn of a real loop would.
#include "gateway/core/timers.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace lykta {

class ManualTimers final : public Timers, private ManualClock::Listener {
public:
    explicit ManualTimers(ManualClock& clock);
    ~ManualTimers() override;
    ManualTimers(const ManualTimers&) = delete;
    ManualTimers& operator=(const ManualTimers&) = delete;

    Timer after(Duration delay, Callback fn) override;
    Timer at(SystemTime when, Callback fn) override;

    // Callbacks scheduled and neither run nor cancelled.
    std::size_t pending() const;
    // The wall time at which the next callback is due, if any.
    std::optional<SystemTime> next_due() const;

private:
    struct Entry {
        std::shared_ptr<timer_detail::State> state;
        bool wall = false;                    // `at` (wall time) or `after` (elapsed time)
        SystemTime when{};                    // wall deadline
        ManualClock::Duration elapsed_due{};  // elapsed-time deadline
        std::uint64_t order = 0;
        Callback fn;
    };
    void run_until(ManualClock& clock, ManualClock::Duration elapsed_target) override;
    ManualClock::Duration time_to(const Entry& e) const;
    void drop_finished();
    Timer add(Entry e);

    ManualClock& clock_;
    std::vector<Entry> entries_;
    std::uint64_t next_order_ = 0;
};

}  // namespace lykta
