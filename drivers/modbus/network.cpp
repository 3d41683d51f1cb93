#include "drivers/modbus/network.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "drivers/modbus/connection.hpp"

namespace lykta::modbus {

using SteadyClock = std::chrono::steady_clock;
constexpr auto max_batch_age = std::chrono::milliseconds(20);
// How early a pipelined poll may go out to join a batch (polls keep their own fixed-rate schedule).
constexpr auto batch_window = std::chrono::milliseconds(1);

struct Network::Poll {
    int id = 0;
    int unit = 0;
    std::vector<ReadRequest> requests;
    SteadyClock::duration interval{};
    SteadyClock::time_point due{};
    // Shared with the deliveries in flight: posting a result copies a pointer,
    // not the std::function (whose captures would be allocated per copy).
    std::shared_ptr<const PollDone> done;
    std::vector<ReadResult> results;  // this cycle's (worker only; buffers reused)
    std::vector<ReadResult> last;     // last delivered results (worker only)
    bool cancelled = false;
};

// Poll results on their way to the loop: collected while polls are due and
// posted as one handler when the worker goes to sleep (or before a write's
// result), so a burst of changed devices wakes the loop once, not per device.
struct Network::Delivery {
    std::shared_ptr<const PollDone> done;
    std::vector<ReadResult> results;
};

struct Network::Write {
    int unit = 0;
    WriteRequest request;
    WriteDone done;
};

namespace {

bool same(const std::vector<ReadResult>& a, const std::vector<ReadResult>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].outcome != b[i].outcome || a[i].words != b[i].words || a[i].bits != b[i].bits) return false;
    return true;
}

}  // namespace

Network::Network(asio::io_context& io, config::ModbusNetwork config) : io_(io), config_(std::move(config)) {}

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
        writes_.clear();
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
    std::lock_guard lock(mutex_);
    polls_.clear();
}

int Network::add_poll(int unit, std::vector<ReadRequest> requests, std::chrono::duration<double> interval,
                      PollDone done) {
    auto poll = std::make_unique<Poll>();
    poll->unit = unit;
    poll->requests = std::move(requests);
    poll->interval = std::chrono::duration_cast<SteadyClock::duration>(interval);
    poll->due = SteadyClock::now();
    poll->done = std::make_shared<const PollDone>(std::move(done));
    int id;
    {
        std::lock_guard lock(mutex_);
        id = poll->id = next_poll_id_++;
        polls_.push_back(std::move(poll));
    }
    wake_.notify_one();
    return id;
}

void Network::cancel_poll(int id) {
    std::lock_guard lock(mutex_);
    for (auto& p : polls_)
        if (p->id == id) p->cancelled = true;
}

void Network::write(int unit, const WriteRequest& request, WriteDone done) {
    auto job = std::make_unique<Write>();
    job->unit = unit;
    job->request = request;
    job->done = std::move(done);
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
// this thread ever sees. The loop and the worker share only what mutex_ guards.
void Network::run() {
    Connection connection(config_);
    auto backoff = std::chrono::milliseconds(500);
    auto next_open = SteadyClock::now();
    auto last_answer = SteadyClock::now();  // last time any unit answered (or the port opened)
    bool reported_down = false;
    bool fresh_start = false;  // the last close was routine: reopen quietly

    auto ensure_open = [&] {
        if (connection.is_open() || SteadyClock::now() < next_open) return;
        std::string error;
        if (connection.open(error)) {
            if (!error.empty()) spdlog::warn("modbus {}: {}", config_.id, error);
            if (fresh_start)
                spdlog::debug("modbus {}: {} open again", config_.id, connection.describe());
            else
                spdlog::info("modbus {}: {} open", config_.id, connection.describe());
            fresh_start = false;
            backoff = std::chrono::milliseconds(500);
            last_answer = SteadyClock::now();
            reported_down = false;
            std::lock_guard lock(mutex_);
            ++counters_.reopens;
        } else {
            if (!reported_down) spdlog::warn("modbus {}: {} (retrying with backoff)", config_.id, error);
            reported_down = true;
            next_open = SteadyClock::now() + backoff;
            backoff = std::min(backoff * 2, std::chrono::milliseconds(30000));
        }
    };
    // Counts one transaction and closes a port that failed or went quiet.
    auto account = [&](Outcome outcome, NetworkCounters& c) {
        ++c.requests;
        c.timeouts += outcome == Outcome::timeout;
        c.exceptions += outcome == Outcome::exception;
        c.bad_responses += outcome == Outcome::bad_response;
        c.link_errors += outcome == Outcome::link_down && connection.is_open();
        if (outcome == Outcome::ok || outcome == Outcome::exception || outcome == Outcome::bad_response)
            last_answer = SteadyClock::now();
        const bool quiet =
            outcome == Outcome::timeout &&
            std::chrono::duration<double>(SteadyClock::now() - last_answer).count() > config_.reopen_after_s;
        if (connection.is_open() && (outcome == Outcome::link_down || quiet)) {
            if (quiet)
                spdlog::warn("modbus {}: no unit answered for {} s; closing {} to reopen it", config_.id,
                             config_.reopen_after_s, connection.describe());
            else
                spdlog::warn("modbus {}: link error; closing {} to reopen it", config_.id,
                             connection.describe());
            connection.close();
            next_open = SteadyClock::now() + backoff;
        } else if (connection.is_open() && config_.type == "tcp" &&
                   (outcome == Outcome::timeout || outcome == Outcome::bad_response)) {
            // A late answer would arrive after any flush and be taken for the
            // next transaction's (libmodbus #255): start a fresh connection at once.
            spdlog::debug("modbus {}: new connection after a {}", config_.id, to_string(outcome));
            connection.close();
            next_open = SteadyClock::now();
            fresh_start = true;
        }
    };

    NetworkCounters local;  // merged into counters_ under the lock each round
    std::vector<Delivery> batch;
    SteadyClock::time_point batch_started{};
    auto deliver = [&] {
        if (batch.empty()) return;
        asio::post(io_, [b = std::move(batch)]() mutable {
            for (auto& d : b) (*d.done)(std::move(d.results));
        });
        batch = {};
    };
    // After a poll's reads: next due time, change detection, delivery.
    auto finish = [&](Poll* poll) {
        const auto& results = poll->results;
        const bool failed = std::any_of(results.begin(), results.end(),
                                        [](const ReadResult& r) { return r.outcome != Outcome::ok; });
        // Fixed rate; a poll overdue by whole intervals skips them.
        const auto now = SteadyClock::now();
        poll->due += poll->interval;
        if (poll->due <= now && poll->interval.count() > 0) {
            const auto missed = (now - poll->due) / poll->interval + 1;
            local.skipped_cycles += static_cast<std::uint64_t>(missed);
            poll->due += poll->interval * missed;
        }
        if (!failed && same(results, poll->last)) {
            ++local.unchanged;
            return;
        }
        poll->last = results;
        if (batch.empty()) batch_started = now;
        batch.push_back({poll->done, results});
        // A network that never idles (a slow RTU bus, polls always due) still
        // delivers: a batch waits at most max_batch_age for the worker to sleep.
        if (now - batch_started >= max_batch_age) deliver();
    };
    const bool pipelined = config_.type == "tcp" && config_.pipeline > 1;
    std::vector<Poll*> due;
    std::vector<BatchRead> reads;
    for (;;) {
        std::unique_ptr<Write> write;
        Poll* poll = nullptr;
        {
            std::unique_lock lock(mutex_);
            counters_.requests += local.requests;
            counters_.timeouts += local.timeouts;
            counters_.exceptions += local.exceptions;
            counters_.bad_responses += local.bad_responses;
            counters_.link_errors += local.link_errors;
            counters_.unchanged += local.unchanged;
            counters_.skipped_cycles += local.skipped_cycles;
            local = {};
            for (;;) {
                if (stopping_) return;
                // Nothing runs while the worker holds the lock: a cancelled poll can go.
                polls_.erase(
                    std::remove_if(polls_.begin(), polls_.end(), [](const auto& p) { return p->cancelled; }),
                    polls_.end());
                if (!writes_.empty()) {
                    write = std::move(writes_.front());
                    writes_.pop_front();
                    break;
                }
                auto earliest =
                    std::min_element(polls_.begin(), polls_.end(),
                                     [](const auto& a, const auto& b) { return a->due < b->due; });
                if (earliest == polls_.end()) {
                    deliver();
                    wake_.wait(lock);
                    continue;
                }
                if ((*earliest)->due <= SteadyClock::now()) {
                    poll = earliest->get();
                    // Pipelined: every poll due now goes out together, and
                    // those due within batch_window with them: polls started
                    // together are microseconds apart and stay so at a fixed
                    // rate; without the window each would go out alone.
                    due.assign(1, poll);
                    const auto horizon = SteadyClock::now() + batch_window;
                    if (pipelined)
                        for (auto& p : polls_)
                            if (p.get() != poll && p->due <= horizon) due.push_back(p.get());
                    break;
                }
                deliver();
                wake_.wait_until(lock, (*earliest)->due);
            }
        }
        if (write) {
            deliver();  // results in the order the transactions ran
            ensure_open();
            WriteResult r = connection.write(write->unit, write->request);
            account(r.outcome == Outcome::ok ? r.readback.outcome : r.outcome, local);
            asio::post(io_,
                       [done = std::move(write->done), r = std::move(r)]() mutable { done(std::move(r)); });
            continue;
        }
        if (pipelined) {
            reads.clear();
            for (Poll* p : due) {
                p->results.resize(p->requests.size());
                for (std::size_t i = 0; i < p->requests.size(); ++i)
                    reads.push_back({p->unit, &p->requests[i], &p->results[i]});
            }
            ensure_open();
            connection.read_all(reads);
            for (const auto& r : reads) account(r.result->outcome, local);
        } else {
            auto& results = poll->results;
            results.resize(poll->requests.size());
            for (std::size_t i = 0; i < poll->requests.size(); ++i) {
                ensure_open();
                connection.read_into(poll->unit, poll->requests[i], results[i]);
                account(results[i].outcome, local);
            }
        }
        for (Poll* p : due) finish(p);
    }
}

}  // namespace lykta::modbus
