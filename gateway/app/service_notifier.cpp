#include "gateway/app/service_notifier.hpp"

#include <systemd/sd-daemon.h>

#include <cstdlib>

namespace lykta {

ServiceNotifier::ServiceNotifier(asio::io_context& io) : watchdog_(io) {
    under_systemd_ = std::getenv("NOTIFY_SOCKET") != nullptr;
    std::uint64_t usec = 0;
    if (under_systemd_ && sd_watchdog_enabled(0, &usec) > 0) {
        // Ping at half the period: a missed tick still leaves a margin.
        watchdog_interval_ = std::chrono::microseconds(usec / 2);
        schedule_ping();
    }
}

void ServiceNotifier::ready(const std::string& text) {
    if (under_systemd_) sd_notifyf(0, "READY=1\nSTATUS=%s", text.c_str());
}

void ServiceNotifier::stopping() {
    watchdog_.cancel();
    if (under_systemd_) sd_notify(0, "STOPPING=1");
}

void ServiceNotifier::status(const std::string& text) {
    if (under_systemd_) sd_notifyf(0, "STATUS=%s", text.c_str());
}

void ServiceNotifier::schedule_ping() {
    watchdog_.expires_after(watchdog_interval_);
    watchdog_.async_wait([this](const asio::error_code& ec) {
        if (ec) return;
        sd_notify(0, "WATCHDOG=1");
        schedule_ping();
    });
}

}  // namespace lykta
