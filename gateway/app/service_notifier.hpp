#pragma once
// systemd integration (the sd_notify protocol, spoken directly): READY once config, store and buses are up
// (and again once a reload is over), RELOADING when a SIGHUP arrives, STOPPING only on a real stop, WATCHDOG
// pings from a loop timer so a wedged loop gets restarted. Silent when not started by systemd (no
// NOTIFY_SOCKET). Source: sd_notify(3), systemd 252 (Debian 12) and later, section "Well-known assignments".
#include <chrono>
#include <string>

#include "gateway/core/timers.hpp"

namespace lykta {

class ServiceNotifier {
public:
    explicit ServiceNotifier(Timers& timers);
    void ready(const std::string& status);
    // RELOADING=1 with MONOTONIC_USEC: a reload began; ready() must follow when it is over (also when the
    // new file was rejected and the old configuration stays).
    void reloading();
    // STOPPING=1: the process is about to exit. Never for a reload: systemd treats STOPPING=1 from a
    // running unit as the start of a stop and kills the process after TimeoutStopSec.
    void stopping();
    void status(const std::string& text);
    bool under_systemd() const { return under_systemd_; }

private:
    void schedule_ping();

    Timers& timers_;
    Timer watchdog_;
    std::chrono::microseconds watchdog_interval_{0};
    bool under_systemd_ = false;
};

}  // namespace lykta
