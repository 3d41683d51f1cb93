#include "gateway/policy/clock_health.hpp"

#include <sys/timex.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace lykta::policy {

ClockJump classify_jump(SystemTime expected, SystemTime observed, std::chrono::milliseconds threshold) {
    ClockJump jump;
    jump.delta = std::chrono::duration_cast<std::chrono::milliseconds>(observed - expected);
    if (jump.delta > threshold) jump.kind = ClockJump::Kind::forward;
    if (jump.delta < -threshold) jump.kind = ClockJump::Kind::backward;
    return jump;
}

NtpStatus ntp_status_from(int state, int status, long max_error_us, long est_error_us) {
    NtpStatus s;
    if (state < 0) {
        s.error = "ntp_adjtime failed";
        return s;
    }
    s.known = true;
    s.synchronised = (status & STA_UNSYNC) == 0 && state != TIME_ERROR;
    s.max_error_us = max_error_us;
    s.est_error_us = est_error_us;
    return s;
}

NtpStatus read_ntp_status() {
    timex tx{};
    tx.modes = 0;  // read only
    const int state = ntp_adjtime(&tx);
    if (state < 0) {
        NtpStatus s;
        s.error = std::string("ntp_adjtime: ") + std::strerror(errno);
        return s;
    }
    return ntp_status_from(state, tx.status, tx.maxerror, tx.esterror);
}

std::string ClockHealth::describe() const {
    std::string text;
    if (jump.jumped())
        text = std::string("clock jumped ") +
               (jump.kind == ClockJump::Kind::forward ? "forward" : "backward") + " by " +
               std::to_string(std::abs(jump.delta.count())) + " ms";
    if (!ntp.known) {
        if (!text.empty()) text += "; ";
        text += "NTP state unknown (" + ntp.error + ")";
    } else if (!ntp.synchronised) {
        if (!text.empty()) text += "; ";
        text += "system time not synchronised (max error " + std::to_string(ntp.max_error_us) + " us)";
    }
    return text.empty() ? "clock ok" : text;
}

ClockHealth assess_clock(SystemTime expected, SystemTime observed, std::chrono::milliseconds threshold,
                         const NtpStatus& ntp) {
    return {classify_jump(expected, observed, threshold), ntp};
}

}  // namespace lykta::policy
