#pragma once
// Timers on an Asio event loop: `after` on asio::steady_timer, `at` on
// asio::system_timer (Asio re-reads the system clock at least every five
// minutes while waiting, so a stepped wall clock is noticed within that; the
// lighting room's clock watch re-plans at once on a jump anyway).
#include "gateway/core/timers.hpp"

#include <asio/io_context.hpp>

namespace lykta {

class AsioTimers final : public Timers {
public:
    explicit AsioTimers(asio::io_context& io) : io_(io) {}
    Timer after(Duration delay, Callback fn) override;
    Timer at(SystemTime when, Callback fn) override;

private:
    asio::io_context& io_;
};

}  // namespace lykta
