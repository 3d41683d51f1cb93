#include "gateway/app/stop_and_reload_signals.hpp"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace lykta {

StopAndReloadSignals::StopAndReloadSignals() {
    sigemptyset(&set_);
    for (int s : {SIGHUP, SIGINT, SIGTERM}) sigaddset(&set_, s);
    // signalfd(2): "the set of signals ... should be blocked using sigprocmask(2), to
    // prevent the signals being handled according to their default dispositions".
    if (const int error = pthread_sigmask(SIG_BLOCK, &set_, nullptr))
        throw std::system_error(error, std::generic_category(), "blocking SIGHUP, SIGINT and SIGTERM");
    // A parent may have left one ignored (`nohup` ignores SIGHUP). Whether an ignored
    // signal that is blocked stays pending is unspecified (POSIX.1-2017, XSH 2.4.1);
    // Linux keeps it, but with the default disposition it is pending everywhere.
    for (int s : {SIGHUP, SIGINT, SIGTERM}) std::signal(s, SIG_DFL);
    fd_ = ::signalfd(-1, &set_, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "signalfd");
}

StopAndReloadSignals::~StopAndReloadSignals() {
    ::close(fd_);
}

int StopAndReloadSignals::take() {
    signalfd_siginfo info{};
    for (;;) {
        const auto n = ::read(fd_, &info, sizeof info);
        if (n == static_cast<ssize_t>(sizeof info)) return static_cast<int>(info.ssi_signo);
        if (n < 0 && errno == EINTR) continue;
        return 0;  // EAGAIN: nothing pending
    }
}

}  // namespace lykta
