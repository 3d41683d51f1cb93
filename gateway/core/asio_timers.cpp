#include "gateway/core/asio_timers.hpp"

#include <asio/steady_timer.hpp>
#include <asio/system_timer.hpp>

namespace lykta {
namespace {

template <class AsioTimer, class Expiry>
Timer schedule(asio::io_context& io, Expiry expiry, Timers::Callback fn) {
    auto state = std::make_shared<timer_detail::State>();
    auto timer = std::make_shared<AsioTimer>(io, expiry);
    // A weak pointer: the pending wait owns the timer, the handle only stops it.
    state->on_cancel = [weak = std::weak_ptr<AsioTimer>(timer)] {
        if (auto t = weak.lock()) t->cancel();
    };
    timer->async_wait([state, timer, fn = std::move(fn)](const std::error_code&) {
        // Checked instead of the error code: a cancel that races an expiry
        // already queued still must not run the callback.
        if (state->done) return;
        state->done = true;
        state->on_cancel = nullptr;
        fn();
    });
    return Timer(std::move(state));
}

}  // namespace

Timer AsioTimers::after(Duration delay, Callback fn) {
    return schedule<asio::steady_timer>(io_, delay, std::move(fn));
}

Timer AsioTimers::at(SystemTime when, Callback fn) {
    return schedule<asio::system_timer>(io_, when, std::move(fn));
}

}  // namespace lykta
