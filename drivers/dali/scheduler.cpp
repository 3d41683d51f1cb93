#include "drivers/dali/scheduler.hpp"

namespace lykta::dali {

Step step_for(ForwardFrame frame, std::uint8_t enabled_device_type) {
    const auto shape = shape_of(frame, enabled_device_type);
    Step s{frame, {shape.expect_answer, shape.send_twice}, 0, false};
    if (shape.expect_answer && shape.response != Response::yes_no) {
        s.retries = 2;
        s.retry_on_framing = true;
    }
    return s;
}

Scheduler::Scheduler(Transport& transport) : transport_(transport) {}

Scheduler::~Scheduler() {
    *alive_ = false;
}

std::size_t Scheduler::queued() const {
    std::size_t n = 0;
    for (const auto& q : queues_) n += q.size();
    return n;
}

void Scheduler::submit(Priority priority, std::vector<Step> steps, JobDone done) {
    queues_[static_cast<std::size_t>(priority)].push_back(Job{std::move(steps), std::move(done), {}});
    pump();
}

void Scheduler::fail_queued() {
    for (auto& q : queues_) {
        auto jobs = std::move(q);
        q.clear();
        for (auto& job : jobs)
            if (job.done) job.done(std::vector<Reply>(job.steps.size(), Reply::failed(BusError::interface)));
    }
}

void Scheduler::pump() {
    if (running_) return;
    for (auto& q : queues_) {
        if (q.empty()) continue;
        current_ = std::move(q.front());
        q.pop_front();
        running_ = true;
        attempt_ = 0;
        ahead_ = false;
        ++job_id_;
        ++counters_.jobs;
        if (current_.steps.empty()) {
            finish_current();
            return;
        }
        send_current();
        return;
    }
}

void Scheduler::send_current() {
    transact(current_.steps[current_.replies.size()]);
    send_ahead();
}

void Scheduler::transact(const Step& s) {
    ++counters_.frames;
    if (s.options.send_twice) ++counters_.frames;
    std::weak_ptr<bool> alive = alive_;
    transport_.transact(s.frame, s.options, [this, alive, job = job_id_](Reply r) {
        if (auto a = alive.lock(); a && *a && job == job_id_ && running_) on_reply(r);
    });
}

// Hands the job's next step to a pipelining transport while the current one is on
// the bus, so the bus does not idle for a reply's round trip between the frames of
// a job (the random-address search is ~3 frames per job). Only behind a step that
// is never retried: a retry must go out before anything else.
void Scheduler::send_ahead() {
    const std::size_t on_bus = current_.replies.size();
    if (ahead_ || !transport_.pipelines() || attempt_ != 0 || on_bus + 1 >= current_.steps.size() ||
        current_.steps[on_bus].retries != 0)
        return;
    ahead_ = true;
    transact(current_.steps[on_bus + 1]);
}

void Scheduler::on_reply(Reply r) {
    const Step& s = current_.steps[current_.replies.size()];
    switch (r.outcome) {
        case Outcome::answer:
            ++counters_.answers;
            break;
        case Outcome::no_answer:
            if (s.options.expect_answer) ++counters_.no_answers;
            break;
        case Outcome::framing_error:
            ++counters_.collisions;
            break;
        case Outcome::bus_error:
            if (r.error == BusError::timeout)
                ++counters_.timeouts;
            else if (r.error == BusError::power_loss)
                ++counters_.power_losses;
            else
                ++counters_.interface_errors;
            break;
    }
    const bool retryable = (r.outcome == Outcome::framing_error && s.retry_on_framing) ||
                           (r.outcome == Outcome::bus_error && r.error == BusError::timeout);
    if (retryable && attempt_ < s.retries) {
        ++attempt_;
        ++counters_.retries;
        send_current();
        return;
    }
    attempt_ = 0;
    current_.replies.push_back(r);
    if (r.outcome == Outcome::bus_error) {  // the bus is not usable: do not push the rest of the job at it
        while (current_.replies.size() < current_.steps.size()) current_.replies.push_back(r);
    }
    if (current_.replies.size() < current_.steps.size()) {
        if (!ahead_) return send_current();
        ahead_ = false;  // the next step is already on its way
        send_ahead();
        return;
    }
    finish_current();
}

void Scheduler::finish_current() {
    Job job = std::move(current_);
    current_ = Job{};
    running_ = false;
    std::weak_ptr<bool> alive = alive_;
    if (job.done) job.done(job.replies);
    if (auto a = alive.lock(); a && *a) pump();
}

}  // namespace lykta::dali
