#include "drivers/modbus/network_worker.hpp"

#include <asio/post.hpp>

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
    std::lock_guard lock(mutex_);
    return std::move(next_);
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
        }
        transact(*job);
        asio::post(io_, [this, alive, job = std::move(job)]() mutable {
            if (!alive.expired()) done_(std::move(job));
        });
    }
}

// Everything here touches the transport, which only this thread ever sees.
void NetworkWorker::transact(Job& job) {
    job.events.clear();
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
        const std::span<const BatchRead> reads(job.reads);
        for (std::size_t at = 0; at < reads.size(); at += depth) {
            ensure_open();
            const auto chunk = reads.subspan(at, std::min(depth, reads.size() - at));
            link.read(chunk);
            for (const auto& r : chunk) after(r.result->outcome, r.result->error);
        }
    }
    job.link_open = link.is_open();
}

}  // namespace lykta::modbus
