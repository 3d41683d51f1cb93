#pragma once
// The I/O half of a Modbus network: a thread that owns the network's
// Transport (which blocks, and a libmodbus context is not thread safe:
// libmodbus NEWS 3.1.3) and runs one Job at a time - a write, or a batch of
// reads the event loop chose - when the loop said it is due, and posts it
// back with its outcomes. It decides nothing about schedules, backoff or
// changes, and logs nothing: the loop (network.hpp) does that with what the
// job reports.
//
// Wake-ups are what a poll costs (docs/modbus.md, "Benchmark"), so the loop
// hands over the next job as soon as the last one is back, with the time it
// is due, and the worker sleeps until then: the loop needs no timer of its
// own. Each job also says when the next one will be due at the earliest; the
// worker sleeps until that time after posting it back, and a next job due no
// earlier does not need to wake it.
#include <asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "drivers/modbus/transport.hpp"

namespace lykta::modbus {

// What happened to the link during a job, in order.
struct LinkEvent {
    enum class Kind {
        opened,       // `text`: a warning from opening (RS-485 mode not set), else empty
        open_failed,  // `text`: why
        closed,       // after a link error (`text`: the transaction's error)
        renewing,     // closed to open a fresh link at once (`text`: the outcome that asked for it)
    };
    Kind kind = Kind::opened;
    std::string text;
    bool renewed = false;  // opened/open_failed: the open after `renewing`
};

struct Job {
    using TimePoint = std::chrono::steady_clock::time_point;
    // Set by the loop:
    TimePoint not_before{};                 // run it then (the polls' due time), or at once
    TimePoint next_due = TimePoint::max();  // the job after this one is not due before
    TimePoint open_from{};                  // open the link first if it is closed, from then on (the backoff)
    bool close_first = false;               // close the link before anything (nothing answered for too long)
    bool is_write = false;
    int write_unit = 0;
    WriteRequest write;
    // Reads in order; their results are written in place, into buffers the
    // loop owns and leaves alone while the job is out.
    std::vector<BatchRead> reads;
    // Polls faster than the loop's hold (network.cpp) are read `rounds`
    // times, `every` apart, before the job comes back (sooner when a round
    // failed or the loop asks for it back): reads [r * per_round, (r + 1) *
    // per_round) are round r, each into its own results.
    int rounds = 1;
    std::chrono::steady_clock::duration every{};
    std::size_t per_round = 0;  // reads of one round (all of them for one round)
    // Set by the worker:
    int ran = 0;  // rounds done
    WriteResult write_result;
    std::vector<LinkEvent> events;
    bool link_open = false;  // after the job
};

class NetworkWorker {
public:
    using Done = std::function<void(std::unique_ptr<Job>)>;

    // `done` runs on the loop thread with each job that ran.
    NetworkWorker(asio::io_context& io, std::unique_ptr<Transport> transport, Done done);
    ~NetworkWorker();  // stops; a job still out is dropped
    NetworkWorker(const NetworkWorker&) = delete;
    NetworkWorker& operator=(const NetworkWorker&) = delete;

    void start();
    void stop();
    // Hands `job` to the worker: one job at a time (the next after `done`).
    void submit(std::unique_ptr<Job> job);
    // The submitted job back if it has not started (null if it has): a write
    // or a new poll can then go first. A job between two rounds comes back
    // through `done` at once, with the rounds it ran.
    std::unique_ptr<Job> recall();

private:
    void run();
    void transact(Job& job);

    asio::io_context& io_;
    std::unique_ptr<Transport> transport_;  // worker thread only
    Done done_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::unique_ptr<Job> next_;  // guarded by mutex_
    bool stopping_ = false;      // guarded by mutex_
    // When the worker wakes by itself (max: only when woken; min: awake).
    Job::TimePoint waiting_until_ = Job::TimePoint::min();  // guarded by mutex_
    bool cut_short_ = false;       // guarded by mutex_: the loop wants the running job back after this round
    bool renew_ = false;           // worker only: open again at once (after `renewing`)
    std::shared_ptr<bool> alive_;  // jobs posted back after stop() are dropped
    std::thread thread_;
};

}  // namespace lykta::modbus
