#pragma once
// systemd integration (the sd_notify protocol, spoken directly): READY once config, store and buses are up,
// STOPPING on shutdown, WATCHDOG pings from a loop timer so a wedged loop gets
// restarted. Silent when not started by systemd (no NOTIFY_SOCKET).
#include <asio.hpp>
#include <chrono>
#include <string>

namespace lykta {

class ServiceNotifier {
public:
    explicit ServiceNotifier(asio::io_context& io);
    void ready(const std::string& status);
    void stopping();
    void status(const std::string& text);
    bool under_systemd() const { return under_systemd_; }

private:
    void schedule_ping();

    asio::steady_timer watchdog_;
    std::chrono::microseconds watchdog_interval_{0};
    bool under_systemd_ = false;
};

}  // namespace lykta
