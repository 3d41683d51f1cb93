#pragma once
// One Modbus network (an RS-485 port or a TCP endpoint): a worker thread that
// owns the libmodbus context (a context is not thread safe: libmodbus NEWS
// 3.1.3) and runs one transaction at a time; results are posted into the
// event loop. The queue between loop and worker is the only shared state.
//
// The worker opens the port lazily, reopens it with backoff (0.5 s doubling to
// 30 s) after a link error, and closes and reopens a port that stayed silent
// (only timeouts) for `quiet_reopen_s` - a USB adapter that was unplugged and
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
};

class Network {
public:
    using ReadDone = std::function<void(ReadResult)>;
    using WriteDone = std::function<void(WriteResult)>;

    Network(asio::io_context& io, config::ModbusNetwork config, double quiet_reopen_s = 10);
    ~Network();  // stops and joins the worker; undelivered results are dropped
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    void start();
    void stop();
    // `done` runs on the loop thread. Writes go before queued reads.
    void read(int unit, const ReadRequest& request, ReadDone done);
    void write(int unit, const WriteRequest& request, WriteDone done);

    const std::string& id() const { return config_.id; }
    // A snapshot; counters are updated by the worker and read on the loop.
    NetworkCounters counters() const;

private:
    struct Job;
    void run();
    void execute(Job& job);

    asio::io_context& io_;
    config::ModbusNetwork config_;
    double quiet_reopen_s_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::unique_ptr<Job>> writes_;
    std::deque<std::unique_ptr<Job>> reads_;
    bool stopping_ = false;
    NetworkCounters counters_;
    std::thread worker_;
};

}  // namespace lykta::modbus
