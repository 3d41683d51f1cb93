#include "drivers/modbus/network_worker.hpp"

#include <asio/post.hpp>

#include <algorithm>
#include <utility>

namespace lykta::modbus {

NetworkWorker::NetworkWorker(asio::io_context& io, std::unique_ptr<Transport> transport, Done done)
    : io_(io), transport_(std::move(transport)), done_(std::move(done)) {}

NetworkWorker::~NetworkWorker() {
    stop();
}

void NetworkWorker::start() {
    if (thread_.joinable()) return;
    stopping_ = false;
    alive_ = std::make_shared<bool>(true);
    thread_ = std::thread([this] { run(); });
}

void NetworkWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        next_.reset();
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    alive_.reset();
    transport_->close();
}

void NetworkWorker::submit(std::unique_ptr<Job> job) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        wake = job->not_before < waiting_until_;  // it would sleep past the job's time
        next_ = std::move(job);
    }
    if (wake) wake_.notify_one();
}

std::unique_ptr<Job> NetworkWorker::recall() {
    {
        std::lock_guard lock(mutex_);
        if (!next_) cut_short_ = true;  // running a round: back after it
        if (!next_ || next_->ran == 0) return std::move(next_);
        next_->rounds = next_->ran;  // between rounds: back at once with what it has
        next_->not_before = {};
    }
    wake_.notify_one();
    return nullptr;
}

void NetworkWorker::run() {
    using TimePoint = Job::TimePoint;
    std::weak_ptr<bool> alive = alive_;
    TimePoint idle_until = TimePoint::max();  // the last job's next_due
    for (;;) {
        std::unique_ptr<Job> job;
        {
            std::unique_lock lock(mutex_);
            for (;;) {
                if (stopping_) return;
                const auto now = std::chrono::steady_clock::now();
                if (next_ && next_->not_before <= now) break;
                TimePoint until = next_ ? next_->not_before : idle_until;
                if (until <= now) until = TimePoint::max();  // nothing came by then: wait to be woken
                waiting_until_ = until;
                if (until == TimePoint::max())
                    wake_.wait(lock);
                else
                    wake_.wait_until(lock, until);
                waiting_until_ = TimePoint::min();
            }
            job = std::move(next_);
            idle_until = job->next_due;
            if (job->ran == 0) cut_short_ = false;
        }
        if (job->ran < job->rounds) transact(*job);
        if (job->ran < job->rounds) {
            std::lock_guard lock(mutex_);
            if (std::exchange(cut_short_, false)) job->rounds = job->ran;
            if (!stopping_ && job->ran < job->rounds) {
                job->not_before += job->every;  // the next round, on the loop's fixed rate
                next_ = std::move(job);
                continue;
            }
        }
        asio::post(io_, [this, alive, job = std::move(job)]() mutable {
            if (!alive.expired()) done_(std::move(job));
        });
    }
}

// Everything here touches the transport, which only this thread ever sees.
void NetworkWorker::transact(Job& job) {
    if (job.ran == 0) job.events.clear();
    Transport& link = *transport_;
    if (job.close_first) link.close();
    bool may_open = std::chrono::steady_clock::now() >= job.open_from || renew_;
    auto ensure_open = [&] {
        if (link.is_open() || !may_open) return;
        std::string error;
        const bool opened = link.open(error);
        job.events.push_back(
            {opened ? LinkEvent::Kind::opened : LinkEvent::Kind::open_failed, error, renew_});
        renew_ = false;
        may_open = opened;  // one failed attempt per job: the loop's backoff decides the next
    };
    // A broken link is closed (opened again in a later job, after the
    // backoff); one the transport wants fresh is opened again at once.
    auto after = [&](Outcome outcome, const std::string& error) {
        if (!link.is_open()) return;
        if (outcome == Outcome::link_down) {
            link.close();
            job.events.push_back({LinkEvent::Kind::closed, error, false});
            may_open = false;
        } else if (link.fresh_link_after(outcome)) {
            link.close();
            job.events.push_back({LinkEvent::Kind::renewing, std::string(to_string(outcome)), false});
            renew_ = may_open = true;
        }
    };
    if (job.is_write) {
        ensure_open();
        job.write_result = link.write(job.write_unit, job.write);
        const auto& w = job.write_result;
        if (w.outcome == Outcome::ok)
            after(w.readback.outcome, w.readback.error);
        else
            after(w.outcome, w.error);
    } else {
        const std::size_t depth = link.depth();
        const std::size_t per_round = job.per_round;
        const auto reads = std::span<const BatchRead>(job.reads).subspan(
            static_cast<std::size_t>(job.ran) * per_round, per_round);
        for (std::size_t at = 0; at < reads.size(); at += depth) {
            ensure_open();
            const auto chunk = reads.subspan(at, std::min(depth, reads.size() - at));
            link.read(chunk);
            for (const auto& r : chunk) after(r.result->outcome, r.result->error);
        }
        // A failed round goes to the loop at once.
        const bool failed = std::any_of(reads.begin(), reads.end(),
                                        [](const BatchRead& r) { return r.result->outcome != Outcome::ok; });
        if (failed) job.rounds = job.ran + 1;
    }
    ++job.ran;
    job.link_open = link.is_open();
}

}  // namespace lykta::modbus
