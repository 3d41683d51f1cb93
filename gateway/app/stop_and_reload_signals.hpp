#pragma once
// SIGTERM, SIGINT and SIGHUP for the daemon's whole life, read from a
// signalfd(2) instead of a handler. Constructed first thing in main, before
// any thread exists: it blocks the three signals in that thread, and every
// thread created later (Paho's send and receive threads, the Modbus workers,
// the DALI writers) inherits the mask. So no thread ever takes them by a
// handler or their default action; the kernel keeps them pending for the
// process until the App that is running reads them, also while one App is
// torn down and the next is built on a reload (signal(7), "Signal mask and
// pending signals"; signalfd(2)).
//
// Why not an asio::signal_set per App: its handler writes the signal into a
// pipe that only that App's io_context reads. Threads that App started kept
// the signals unblocked, so a SIGTERM during a reload's teardown (main thread
// blocked, Paho's threads not) went into the old pipe after its last read and
// was gone with it: the next App ran on, and systemd killed it after
// TimeoutStopSec (docs/reliability.md, "systemd reload").
#include <csignal>

namespace lykta {

class StopAndReloadSignals {
public:
    StopAndReloadSignals();  // throws std::system_error when the signalfd cannot be opened
    ~StopAndReloadSignals();
    StopAndReloadSignals(const StopAndReloadSignals&) = delete;
    StopAndReloadSignals& operator=(const StopAndReloadSignals&) = delete;

    // Readable while one of the signals is pending (non-blocking, close-on-exec).
    int fd() const { return fd_; }
    // Takes the next pending signal off the process: its number, or 0 when none is pending.
    int take();

private:
    sigset_t set_{};
    int fd_ = -1;
};

}  // namespace lykta
