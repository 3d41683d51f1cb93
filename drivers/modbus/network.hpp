#pragma once
// One Modbus network (an RS-485 port or a TCP endpoint): a worker thread that
// owns the libmodbus context (a context is not thread safe: libmodbus NEWS
// 3.1.3) and runs one transaction at a time; results are posted into the
// event loop. The queue between loop and worker is the only shared state.
//
// The worker opens the port lazily, reopens it with backoff (0.5 s doubling to
// 30 s) after a link error, and closes and reopens a port that stayed silent
// (only timeouts) for the network's `reopen_after_s` - a USB adapter that was unplugged and
// came back, or a TCP peer that stopped answering.
#include <asio.hpp>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "drivers/modbus/request_plan.hpp"
#include "drivers/modbus/transaction.hpp"
#include "gateway/config/model.hpp"

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
    using PollDone = std::function<void(std::vector<ReadResult>)>;
    using WriteDone = std::function<void(WriteResult)>;

    Network(asio::io_context& io, config::ModbusNetwork config);
    ~Network();  // stops and joins the worker; undelivered results are dropped
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    void start();
    void stop();

    // Polls `requests` of `unit` back to back every `interval` (fixed rate; a
    // cycle that is overdue by whole intervals skips them and counts them).
    // The worker schedules these itself, so a poll costs the event loop nothing
    // unless its result matters: `done` is posted to the loop (results in
    // request order) only when a request failed or some register or bit
    // differs from the last delivered result; results of polls that ran back
    // to back reach the loop in one handler, in the order they ran. Returns an
    // id for cancel_poll.
    int add_poll(int unit, std::vector<ReadRequest> requests, std::chrono::duration<double> interval,
                 PollDone done);
    void cancel_poll(int id);
    // `done` runs on the loop thread. Writes go before due polls.
    void write(int unit, const WriteRequest& request, WriteDone done);

    const std::string& id() const { return config_.id; }
    // A snapshot; counters are updated by the worker and read on the loop.
    NetworkCounters counters() const;

private:
    struct Poll;
    struct Write;
    struct Delivery;
    void run();

    asio::io_context& io_;
    config::ModbusNetwork config_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::unique_ptr<Write>> writes_;
    std::vector<std::unique_ptr<Poll>> polls_;
    int next_poll_id_ = 0;
    bool stopping_ = false;
    NetworkCounters counters_;
    std::thread worker_;
};

}  // namespace lykta::modbus
