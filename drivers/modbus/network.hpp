#pragma once
// One Modbus network (an RS-485 port or a TCP endpoint), event-loop side:
// the poll schedule, batching, change detection, the link's backoff,
// counters and all logging run here, on the loop thread. Each round the
// loop hands the network's worker (network_worker.hpp) one job - a write,
// or the reads of every poll that is due - and gets it back with outcomes.
//
// The link is opened lazily, reopened with backoff (0.5 s doubling to 30 s)
// after a link error, and closed and reopened when it stayed silent (only
// timeouts) for the network's `reopen_after_s` - a USB adapter that was
// unplugged and came back, or a TCP peer that stopped answering.
#include <asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>

#include "drivers/modbus/network_config.hpp"
#include "drivers/modbus/network_worker.hpp"
#include "drivers/modbus/request_plan.hpp"
#include "drivers/modbus/transaction.hpp"

namespace lykta::modbus {

struct NetworkCounters {
    std::uint64_t requests = 0;
    std::uint64_t timeouts = 0;
    std::uint64_t exceptions = 0;
    std::uint64_t bad_responses = 0;
    std::uint64_t link_errors = 0;
    std::uint64_t reopens = 0;
    std::uint64_t unchanged = 0;       // poll results not delivered: same as the last ones
    std::uint64_t skipped_cycles = 0;  // polls that could not keep their interval
};

class Network {
public:
    using PollDone = std::function<void(const std::vector<ReadResult>&)>;
    using WriteDone = std::function<void(WriteResult)>;

    Network(asio::io_context& io, NetworkConfig config);
    // Over any transport (tests); `config` gives the id and the timings.
    Network(asio::io_context& io, NetworkConfig config, std::unique_ptr<Transport> transport);
    ~Network();  // stops and joins the worker; undelivered results are dropped
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    void start();
    void stop();

    // Polls `requests` of `unit` back to back every `interval` (fixed rate; a
    // cycle that is overdue by whole intervals skips them and counts them).
    // `done` runs (results in request order) only when a request failed or
    // some register or bit differs from the last delivered result. Polls due
    // within 1 ms of each other go to the worker as one job. Returns an id
    // for cancel_poll.
    int add_poll(int unit, std::vector<ReadRequest> requests, std::chrono::duration<double> interval,
                 PollDone done);
    void cancel_poll(int id);
    // `done` runs on the loop thread. Writes go before due polls.
    void write(int unit, const WriteRequest& request, WriteDone done);

    const std::string& id() const { return config_.id; }
    const NetworkCounters& counters() const { return counters_; }

private:
    using SteadyClock = std::chrono::steady_clock;
    struct Poll;
    struct Write {
        int unit = 0;
        WriteRequest request;
        WriteDone done;
    };
    // Hands the worker the next job if it has none waiting: a write (at
    // once), else the polls due next (at their time).
    void pump();
    void on_done(std::unique_ptr<Job> job);
    void on_link(const LinkEvent& event, SteadyClock::time_point now);
    void count(Outcome outcome, SteadyClock::time_point now);
    // Round `round` of `poll`'s results: next due time, change detection.
    // True when they are to be delivered (now in poll.last).
    bool finish(Poll& poll, std::size_t round, bool last_round, SteadyClock::time_point now);

    asio::io_context& io_;
    NetworkConfig config_;
    std::string describe_;  // "tcp host:port" for the logs
    NetworkWorker worker_;
    std::unique_ptr<Job> job_ = std::make_unique<Job>();  // null while the worker has it
    std::vector<std::unique_ptr<Poll>> polls_;
    std::vector<Poll*> in_job_;     // the polls whose reads are out, in job order
    std::vector<Poll*> finished_;   // on_done's, kept for their buffers
    std::vector<Poll*> delivered_;  // on_done's, kept for their buffers
    bool delivering_ = false;       // in on_done: a nested pump() waits for its end
    std::deque<Write> writes_;
    WriteDone write_out_;  // `done` of the write that is out
    int next_poll_id_ = 0;
    bool running_ = false;
    NetworkCounters counters_;
    // The link as the loop sees it (from the jobs' events).
    bool link_open_ = false;
    bool close_next_ = false;  // the next job closes the link first
    bool reported_down_ = false;
    std::chrono::milliseconds backoff_{500};
    SteadyClock::time_point next_open_{};
    SteadyClock::time_point last_answer_{};  // last time any unit answered (or the link opened)
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::modbus
