#include "gateway/app/service_notifier.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <ctime>

namespace lykta {
namespace {

// The sd_notify(3) protocol without libsystemd: one datagram of "KEY=VALUE\n"
// lines to the AF_UNIX socket named by $NOTIFY_SOCKET ('@' = abstract
// namespace). systemd documents this wire protocol as stable for use without
// libsystemd (sd_notify(3), NOTES; systemd.io/PORTABILITY_AND_STABILITY);
// libsystemd would pull seven more libraries (~0.8 MB resident, see
// docs/benchmarks.md) into the daemon for these few lines. Best effort, like
// sd_notify: a failure is not the daemon's problem.
void notify(const std::string& message) {
    const char* path = std::getenv("NOTIFY_SOCKET");
    if (!path || (path[0] != '/' && path[0] != '@')) return;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::size_t length = std::strlen(path);
    if (length >= sizeof address.sun_path) return;
    std::memcpy(address.sun_path, path, length);
    if (path[0] == '@') address.sun_path[0] = '\0';
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    const auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
    (void)::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&address),
                   size);
    ::close(fd);
}

// sd_watchdog_enabled(3): $WATCHDOG_USEC, for this process if $WATCHDOG_PID names one.
std::uint64_t watchdog_usec() {
    const char* usec = std::getenv("WATCHDOG_USEC");
    if (!usec) return 0;
    if (const char* pid = std::getenv("WATCHDOG_PID"); pid && std::strtoll(pid, nullptr, 10) != ::getpid())
        return 0;
    char* end = nullptr;
    const auto value = std::strtoull(usec, &end, 10);
    return end && *end == '\0' ? value : 0;
}

}  // namespace

ServiceNotifier::ServiceNotifier(Timers& timers) : timers_(timers) {
    under_systemd_ = std::getenv("NOTIFY_SOCKET") != nullptr;
    if (const auto usec = watchdog_usec(); under_systemd_ && usec > 0) {
        // Ping at half the period: a missed tick still leaves a margin.
        watchdog_interval_ = std::chrono::microseconds(usec / 2);
        schedule_ping();
    }
}

void ServiceNotifier::ready(const std::string& text) {
    if (under_systemd_) notify("READY=1\nSTATUS=" + text);
}

void ServiceNotifier::reloading() {
    if (!under_systemd_) return;
    // sd_notify(3), "MONOTONIC_USEC=…": CLOCK_MONOTONIC in decimal µs when the message was made, sent with
    // RELOADING=1 so that systemd (253+, Type=notify-reload) can tell this reload from an older one. systemd
    // 252 (Debian 12) knows RELOADING=1 (since 217) and ignores the extra field.
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const auto usec =
        static_cast<std::uint64_t>(now.tv_sec) * 1000000u + static_cast<std::uint64_t>(now.tv_nsec) / 1000u;
    notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void ServiceNotifier::stopping() {
    watchdog_.cancel();
    if (under_systemd_) notify("STOPPING=1");
}

void ServiceNotifier::status(const std::string& text) {
    if (under_systemd_) notify("STATUS=" + text);
}

void ServiceNotifier::schedule_ping() {
    watchdog_ = timers_.after(watchdog_interval_, [this] {
        notify("WATCHDOG=1");
        schedule_ping();
    });
}

}  // namespace lykta
