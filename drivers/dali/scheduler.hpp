#pragma once
// Per-bus frame scheduler on the event loop. Work arrives as jobs: short runs
// of frames that must go out back to back (DTR0 + SET ... pairs, memory reads),
// so no other job can clobber the shared DTRs in between. Jobs wait in five
// priority queues (docs/dali.md, "Priorities"): actuation > group membership
// checks (they decide how every later command is addressed) > commissioning and
// fail-safe configuration > status polling > bulk reads (inventory, D4i energy).
// One frame is on the bus at a time; a waiting job overtakes everything below
// its priority but never the job on the bus, so long work comes in short jobs.
// DALI timing and send-twice spacing are the interface's job (Foxtron/hasseb
// firmware, the simulator). Value queries are retried a bounded number of times
// on framing errors and timeouts; a bus error ends the job and the rest of its
// frames report that error.
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/transport.hpp"

namespace lykta::dali {

enum class Priority : std::uint8_t { actuation = 0, groups = 1, config = 2, polling = 3, bulk = 4 };
inline constexpr std::size_t priority_count = 5;

struct Step {
    ForwardFrame frame;
    TransactOptions options;
    int retries = 0;                // extra attempts on framing error (value queries) or timeout
    bool retry_on_framing = false;  // false for yes/no queries: a framing error is a YES
};

// The options for `frame` from the command table; value queries get 2 retries.
Step step_for(ForwardFrame frame, std::uint8_t enabled_device_type = 0);

struct BusCounters {
    std::uint64_t frames = 0, answers = 0, no_answers = 0, collisions = 0, timeouts = 0, interface_errors = 0,
                  power_losses = 0, retries = 0, jobs = 0;
};

class Scheduler {
public:
    using JobDone = std::function<void(const std::vector<Reply>&)>;
    explicit Scheduler(Transport& transport);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    void submit(Priority priority, std::vector<Step> steps, JobDone done);
    std::size_t queued() const;
    std::size_t queued(Priority priority) const { return queues_[static_cast<std::size_t>(priority)].size(); }
    bool busy() const { return running_; }
    const BusCounters& counters() const { return counters_; }
    // Completes every queued job with BusError::interface (shutdown); the job on the
    // bus finishes normally.
    void fail_queued();

private:
    struct Job {
        std::vector<Step> steps;
        JobDone done;
        std::vector<Reply> replies;
    };
    void pump();
    void send_current();
    void on_reply(Reply reply);
    void finish_current();
    void send_ahead();
    void transact(const Step& step);

    Transport& transport_;
    std::array<std::deque<Job>, priority_count> queues_;
    Job current_;
    bool running_ = false;
    int attempt_ = 0;
    bool ahead_ = false;        // the step after the one on the bus is already with the transport
    std::uint64_t job_id_ = 0;  // replies of a job that ended early (bus error) are dropped
    BusCounters counters_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::dali
