#pragma once
// Clock safety, the pure parts: is the wall clock trustworthy? Two questions,
// answered without side effects so the faults room can debounce them later:
// - did it jump? The daemon keeps the wall time it expected (last wall time
//   plus the steady-clock time elapsed since) and compares it with what it
//   observes; a difference beyond a threshold is a step (NTP correction,
//   manual `date -s`, RTC reset), after which the policy must re-plan from
//   the new time (arbitration is a pure function of t, so re-plan = call
//   decide_all/next_transition with the new t; tests/unit/policy/test_clock_safety.cpp).
// - is it synchronised? The kernel's NTP state (adjtimex(2)/ntp_adjtime(3),
//   read-only call): STA_UNSYNC set or TIME_ERROR returned means unsynchronised.
#include <chrono>
#include <string>

#include "gateway/core/clock.hpp"

namespace lykta::policy {

struct ClockJump {
    enum class Kind { none, forward, backward };
    Kind kind = Kind::none;
    std::chrono::milliseconds delta{0};  // observed - expected
    bool jumped() const { return kind != Kind::none; }
};

// |observed - expected| > threshold is a jump (threshold itself is not).
ClockJump classify_jump(SystemTime expected, SystemTime observed, std::chrono::milliseconds threshold);

struct NtpStatus {
    bool known = false;         // the kernel answered
    bool synchronised = false;  // !STA_UNSYNC and state != TIME_ERROR
    long max_error_us = 0;      // kernel's maximum error estimate
    long est_error_us = 0;
    std::string error;  // why not known
};

// From the raw ntp_adjtime() results: `state` (its return value: TIME_OK ..
// TIME_ERROR, or -1 on failure), `status` (timex.status bits).
NtpStatus ntp_status_from(int state, int status, long max_error_us, long est_error_us);
// Reads the kernel state with ntp_adjtime(modes = 0): never changes the clock.
NtpStatus read_ntp_status();

struct ClockHealth {
    ClockJump jump;
    NtpStatus ntp;
    // Healthy: no jump and the kernel reports a synchronised clock. An unknown
    // NTP state (container without the syscall) is not healthy either.
    bool healthy() const { return !jump.jumped() && ntp.known && ntp.synchronised; }
    std::string describe() const;  // one line for logs and the fault detail
};

ClockHealth assess_clock(SystemTime expected, SystemTime observed, std::chrono::milliseconds threshold,
                         const NtpStatus& ntp);

}  // namespace lykta::policy
