// The daemon's stop and reload signals against the real kernel: blocked in
// the thread that set them up and in every thread it starts afterwards, kept
// pending while nobody reads (a reload's gap between two Apps), then taken one
// by one. The binary sends them to itself; they never reach a handler.
#include <pthread.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

#include "gateway/app/stop_and_reload_signals.hpp"

using lykta::StopAndReloadSignals;

namespace {

bool blocked_here(int signal) {
    sigset_t mask;
    pthread_sigmask(SIG_BLOCK, nullptr, &mask);
    return sigismember(&mask, signal) == 1;
}

}  // namespace

TEST_CASE("stop and reload signals wait for their reader and are taken one by one") {
    StopAndReloadSignals signals;
    CHECK(signals.take() == 0);
    // A thread started afterwards (Paho's, a Modbus worker) cannot take them either.
    bool blocked_in_thread = false;
    std::thread([&] {
        blocked_in_thread = blocked_here(SIGHUP) && blocked_here(SIGINT) && blocked_here(SIGTERM);
        ::kill(::getpid(), SIGHUP);
        ::kill(::getpid(), SIGTERM);
    }).join();
    CHECK(blocked_in_thread);
    // Pending until read; standard signals are not queued twice, but each kind is kept.
    CHECK(signals.take() == SIGHUP);
    CHECK(signals.take() == SIGTERM);
    CHECK(signals.take() == 0);
}

TEST_CASE("a signal ignored by the parent is still kept for the reader") {
    std::signal(SIGHUP, SIG_IGN);  // as nohup leaves it
    StopAndReloadSignals signals;
    ::kill(::getpid(), SIGHUP);
    CHECK(signals.take() == SIGHUP);
    CHECK(signals.take() == 0);
}
