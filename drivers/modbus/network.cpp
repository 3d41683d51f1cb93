#include "drivers/modbus/network.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <span>

namespace lykta::modbus {

// How early a poll may go out to join a job (polls keep their own fixed-rate
// schedule): polls started together are microseconds apart and stay so at a
// fixed rate; without the window each would be a job of its own.
constexpr auto batch_window = std::chrono::milliseconds(1);
// Polls faster than this are read several rounds per job: their results
// reach the loop in one wake-up per `hold` (a failed round at once), since
// waking the loop is most of what a fast poll costs (docs/modbus.md,
// "Benchmark"). Polls at 100 ms or slower come back after every round.
constexpr auto hold = std::chrono::milliseconds(100);
constexpr auto first_backoff = std::chrono::milliseconds(500);
constexpr auto max_backoff = std::chrono::milliseconds(30000);

struct Network::Poll {
    int id = 0;
    int unit = 0;
    std::vector<ReadRequest> requests;
    SteadyClock::duration interval{};
    SteadyClock::time_point due{};
    PollDone done;
    std::vector<ReadResult> results;  // this cycle's (the worker writes them while the job is out)
    std::vector<ReadResult> last;     // last delivered results
    bool cancelled = false;
    bool busy = false;  // in a job or its results being looked at: not erased yet
};

namespace {

bool same(std::span<const ReadResult> a, const std::vector<ReadResult>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].outcome != b[i].outcome || a[i].words != b[i].words || a[i].bits != b[i].bits) return false;
    return true;
}

}  // namespace

Network::Network(asio::io_context& io, NetworkConfig config) : Network(io, config, make_transport(config)) {}

Network::Network(asio::io_context& io, NetworkConfig config, std::unique_ptr<Transport> transport)
    : io_(io),
      config_(std::move(config)),
      describe_(describe(config_)),
      worker_(io, std::move(transport), [this](std::unique_ptr<Job> job) { on_done(std::move(job)); }) {}

Network::~Network() {
    stop();
}

void Network::start() {
    if (running_) return;
    running_ = true;
    alive_ = std::make_shared<bool>(true);
    worker_.start();
    pump();
}

void Network::stop() {
    running_ = false;
    alive_.reset();
    worker_.stop();
    if (!job_) job_ = std::make_unique<Job>();  // the one that was out is dropped
    job_->reads.clear();
    in_job_.clear();
    writes_.clear();
    write_out_ = nullptr;
    polls_.clear();
    link_open_ = false;
}

int Network::add_poll(int unit, std::vector<ReadRequest> requests, std::chrono::duration<double> interval,
                      PollDone done) {
    auto poll = std::make_unique<Poll>();
    poll->id = next_poll_id_++;
    poll->unit = unit;
    poll->requests = std::move(requests);
    poll->results.resize(poll->requests.size());
    poll->interval = std::chrono::duration_cast<SteadyClock::duration>(interval);
    poll->due = SteadyClock::now();
    poll->done = std::move(done);
    polls_.push_back(std::move(poll));
    pump();
    return polls_.back()->id;
}

void Network::cancel_poll(int id) {
    // Erased by pump() when no job is out: a job may still be reading into it.
    for (auto& p : polls_)
        if (p->id == id) p->cancelled = true;
}

void Network::write(int unit, const WriteRequest& request, WriteDone done) {
    writes_.push_back({unit, request, std::move(done)});
    pump();
}

void Network::pump() {
    if (!running_ || delivering_) return;
    if (!job_) {
        // Not started yet: polls are built again (a write or a new poll may go first); a write goes back.
        job_ = worker_.recall();
        if (job_ && job_->is_write) return worker_.submit(std::move(job_));
    }
    if (!job_) return;
    polls_.erase(
        std::remove_if(polls_.begin(), polls_.end(), [](const auto& p) { return p->cancelled && !p->busy; }),
        polls_.end());
    const auto now = SteadyClock::now();
    Job& job = *job_;
    job.reads.clear();
    in_job_.clear();
    job.is_write = !writes_.empty();
    auto earliest = std::min_element(polls_.begin(), polls_.end(),
                                     [](const auto& a, const auto& b) { return a->due < b->due; });
    job.next_due = earliest == polls_.end() ? Job::TimePoint::max() : (*earliest)->due;
    job.not_before = {};
    job.rounds = 1;
    job.ran = 0;
    job.every = {};
    if (job.is_write) {
        job.write_unit = writes_.front().unit;
        job.write = std::move(writes_.front().request);
        write_out_ = std::move(writes_.front().done);
        writes_.pop_front();
    } else {
        if (earliest == polls_.end()) return;
        job.not_before = (*earliest)->due;
        const auto horizon = std::max(now, job.not_before) + batch_window;
        job.next_due = Job::TimePoint::max();
        for (auto& p : polls_) {
            const bool due = p->due <= horizon;
            if (due) in_job_.push_back(p.get());
            job.next_due = std::min(job.next_due, due ? p->due + p->interval : p->due);
        }
        std::stable_sort(in_job_.begin(), in_job_.end(),
                         [](const Poll* a, const Poll* b) { return a->due < b->due; });
        // Fast polls of one interval, nothing else due meanwhile: several rounds.
        const auto interval = in_job_.front()->interval;
        const bool one_rate = std::all_of(in_job_.begin(), in_job_.end(),
                                          [&](const Poll* p) { return p->interval == interval; });
        if (one_rate && interval.count() > 0 && interval < hold) {
            auto others = Job::TimePoint::max();
            for (auto& p : polls_)
                if (std::find(in_job_.begin(), in_job_.end(), p.get()) == in_job_.end())
                    others = std::min(others, p->due);
            const auto room = others == Job::TimePoint::max()
                                  ? hold
                                  : std::min<SteadyClock::duration>(hold, others - job.not_before);
            job.rounds = static_cast<int>(std::max<std::int64_t>(1, room / interval));
            job.every = interval;
            job.next_due = std::min(others, in_job_.front()->due + interval * job.rounds);
        }
        std::size_t per_round = 0;
        for (Poll* p : in_job_) per_round += p->requests.size();
        job.per_round = per_round;
        for (int r = 0; r < job.rounds; ++r)
            for (Poll* p : in_job_) {
                const std::size_t n = p->requests.size();
                p->results.resize(n * static_cast<std::size_t>(job.rounds));
                p->busy = true;
                for (std::size_t i = 0; i < n; ++i)
                    job.reads.push_back(
                        {p->unit, &p->requests[i], &p->results[static_cast<std::size_t>(r) * n + i]});
            }
    }
    job.open_from = next_open_;
    job.close_first = std::exchange(close_next_, false);
    worker_.submit(std::move(job_));
}

void Network::on_done(std::unique_ptr<Job> job) {
    job_ = std::move(job);
    const auto now = SteadyClock::now();
    for (const auto& event : job_->events) on_link(event, now);
    link_open_ = job_->link_open;
    bool timed_out = false;
    if (job_->is_write) {
        const auto& w = job_->write_result;
        const Outcome outcome = w.outcome == Outcome::ok ? w.readback.outcome : w.outcome;
        count(outcome, now);
        timed_out = outcome == Outcome::timeout;
    } else {
        const std::size_t ran = static_cast<std::size_t>(job_->ran) * job_->per_round;
        for (std::size_t i = 0; i < ran && i < job_->reads.size(); ++i) {
            const Outcome outcome = job_->reads[i].result->outcome;
            count(outcome, now);
            timed_out = timed_out || outcome == Outcome::timeout;
        }
    }
    // Only timeouts for reopen_after_s: close the link, open it after the backoff.
    if (timed_out && link_open_ &&
        std::chrono::duration<double>(now - last_answer_).count() > config_.reopen_after_s) {
        spdlog::warn("modbus {}: no unit answered for {} s; closing {} to reopen it", config_.id,
                     config_.reopen_after_s, describe_);
        close_next_ = true;
        link_open_ = false;
        next_open_ = now + backoff_;
    }
    const std::weak_ptr<bool> alive = alive_;
    // Callbacks may add polls or writes: they go out when this is done.
    delivering_ = true;
    if (job_->is_write) {
        auto done = std::move(write_out_);
        write_out_ = nullptr;
        done(std::move(job_->write_result));
        if (alive.expired()) return;
    }
    finished_.swap(in_job_);
    in_job_.clear();
    const int rounds = job_->is_write ? 0 : job_->ran;
    for (int r = 0; r < rounds; ++r) {
        delivered_.clear();
        for (Poll* p : finished_)
            if (finish(*p, static_cast<std::size_t>(r), r + 1 == rounds, now)) delivered_.push_back(p);
        // A callback may stop the network or cancel polls: check before each.
        for (Poll* p : delivered_) {
            if (alive.expired()) return;
            if (!p->cancelled) p->done(p->last);
        }
    }
    for (Poll* p : finished_) p->busy = false;
    finished_.clear();
    delivering_ = false;
    pump();
}

bool Network::finish(Poll& poll, std::size_t round, bool last_round, SteadyClock::time_point now) {
    // Fixed rate; a poll overdue by whole intervals (after the last round) skips them.
    poll.due += poll.interval;
    if (last_round && poll.due <= now && poll.interval.count() > 0) {
        const auto missed = (now - poll.due) / poll.interval + 1;
        counters_.skipped_cycles += static_cast<std::uint64_t>(missed);
        poll.due += poll.interval * missed;
    }
    const std::size_t n = poll.requests.size();
    const std::span<const ReadResult> results(poll.results.data() + round * n, n);
    const bool failed = std::any_of(results.begin(), results.end(),
                                    [](const ReadResult& r) { return r.outcome != Outcome::ok; });
    if (!failed && same(results, poll.last)) {
        ++counters_.unchanged;
        return false;
    }
    poll.last.resize(n);
    std::copy(results.begin(), results.end(),
              poll.last.begin());  // into last's buffers: no allocation once sizes settled
    return true;
}

void Network::count(Outcome outcome, SteadyClock::time_point now) {
    auto& c = counters_;
    ++c.requests;
    c.timeouts += outcome == Outcome::timeout;
    c.exceptions += outcome == Outcome::exception;
    c.bad_responses += outcome == Outcome::bad_response;
    if (outcome == Outcome::ok || outcome == Outcome::exception || outcome == Outcome::bad_response)
        last_answer_ = now;
}

void Network::on_link(const LinkEvent& event, SteadyClock::time_point now) {
    switch (event.kind) {
        case LinkEvent::Kind::opened:
            if (!event.text.empty()) spdlog::warn("modbus {}: {}", config_.id, event.text);
            if (event.renewed)
                spdlog::debug("modbus {}: {} open again", config_.id, describe_);
            else
                spdlog::info("modbus {}: {} open", config_.id, describe_);
            ++counters_.reopens;
            backoff_ = first_backoff;
            last_answer_ = now;
            reported_down_ = false;
            break;
        case LinkEvent::Kind::open_failed:
            if (!reported_down_)
                spdlog::warn("modbus {}: {} (retrying with backoff)", config_.id, event.text);
            reported_down_ = true;
            next_open_ = now + backoff_;
            backoff_ = std::min(backoff_ * 2, max_backoff);
            break;
        case LinkEvent::Kind::closed:
            ++counters_.link_errors;
            spdlog::warn("modbus {}: link error; closing {} to reopen it", config_.id, describe_);
            next_open_ = now + backoff_;
            break;
        case LinkEvent::Kind::renewing:
            spdlog::debug("modbus {}: new connection after a {}", config_.id, event.text);
            break;
    }
}

}  // namespace lykta::modbus
