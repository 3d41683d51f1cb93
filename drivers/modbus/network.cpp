#include "drivers/modbus/network.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "drivers/modbus/connection.hpp"

namespace lykta::modbus {

struct Network::Job {
    int unit = 0;
    bool is_write = false;
    ReadRequest read;
    WriteRequest write;
    ReadDone read_done;
    WriteDone write_done;
};

Network::Network(asio::io_context& io, config::ModbusNetwork config, double quiet_reopen_s)
    : io_(io), config_(std::move(config)), quiet_reopen_s_(quiet_reopen_s) {}

Network::~Network() {
    stop();
}

void Network::start() {
    if (worker_.joinable()) return;
    stopping_ = false;
    worker_ = std::thread([this] { run(); });
}

void Network::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        reads_.clear();
        writes_.clear();
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void Network::read(int unit, const ReadRequest& request, ReadDone done) {
    auto job = std::make_unique<Job>();
    job->unit = unit;
    job->read = request;
    job->read_done = std::move(done);
    {
        std::lock_guard lock(mutex_);
        reads_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void Network::write(int unit, const WriteRequest& request, WriteDone done) {
    auto job = std::make_unique<Job>();
    job->unit = unit;
    job->is_write = true;
    job->write = request;
    job->write_done = std::move(done);
    {
        std::lock_guard lock(mutex_);
        writes_.push_back(std::move(job));
    }
    wake_.notify_one();
}

NetworkCounters Network::counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

// Worker thread: everything below touches the libmodbus context, which only
// this thread ever sees.
void Network::run() {
    using clock = std::chrono::steady_clock;
    Connection connection(config_);
    auto backoff = std::chrono::milliseconds(500);
    auto next_open = clock::now();
    auto last_answer = clock::now();  // last time any unit answered (or the port opened)
    bool reported_down = false;
    for (;;) {
        std::unique_ptr<Job> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !writes_.empty() || !reads_.empty(); });
            if (stopping_) return;
            auto& queue = !writes_.empty() ? writes_ : reads_;
            job = std::move(queue.front());
            queue.pop_front();
        }
        if (!connection.is_open() && clock::now() >= next_open) {
            std::string error;
            if (connection.open(error)) {
                if (!error.empty()) spdlog::warn("modbus {}: {}", config_.id, error);
                spdlog::info("modbus {}: {} open", config_.id, connection.describe());
                backoff = std::chrono::milliseconds(500);
                last_answer = clock::now();
                reported_down = false;
                std::lock_guard lock(mutex_);
                ++counters_.reopens;
            } else {
                if (!reported_down) spdlog::warn("modbus {}: {} (retrying with backoff)", config_.id, error);
                reported_down = true;
                next_open = clock::now() + backoff;
                backoff = std::min(backoff * 2, std::chrono::milliseconds(30000));
            }
        }
        ReadResult read;
        WriteResult written;
        Outcome outcome;
        if (job->is_write) {
            written = connection.write(job->unit, job->write);
            outcome = written.outcome == Outcome::ok ? written.readback.outcome : written.outcome;
        } else {
            read = connection.read(job->unit, job->read);
            outcome = read.outcome;
        }
        {
            std::lock_guard lock(mutex_);
            ++counters_.requests;
            counters_.timeouts += outcome == Outcome::timeout;
            counters_.exceptions += outcome == Outcome::exception;
            counters_.bad_responses += outcome == Outcome::bad_response;
            counters_.link_errors += outcome == Outcome::link_down && connection.is_open();
        }
        if (outcome == Outcome::ok || outcome == Outcome::exception || outcome == Outcome::bad_response)
            last_answer = clock::now();
        const bool quiet =
            outcome == Outcome::timeout &&
            std::chrono::duration<double>(clock::now() - last_answer).count() > quiet_reopen_s_;
        if (connection.is_open() && (outcome == Outcome::link_down || quiet)) {
            spdlog::warn(
                "modbus {}: {}; closing {} to reopen it", config_.id,
                quiet ? "no unit answered for " + std::to_string(quiet_reopen_s_) + " s" : "link error",
                connection.describe());
            connection.close();
            next_open = clock::now() + backoff;
        }
        if (job->is_write)
            asio::post(io_, [done = std::move(job->write_done), r = std::move(written)]() mutable {
                done(std::move(r));
            });
        else
            asio::post(io_, [done = std::move(job->read_done), r = std::move(read)]() mutable {
                done(std::move(r));
            });
    }
}

}  // namespace lykta::modbus
