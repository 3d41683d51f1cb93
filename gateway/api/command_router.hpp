#pragma once
// Transport-independent request handling: the envelope (size limit, JSON
// object check, id echo), dispatch by command path, a bounded queue served in
// order, and a per-client rate limit. One router per daemon, owned by App: the
// MQTT link (P/request/<command>) and the local control socket feed it alike.
// Runs on the event loop thread.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/api/answer_cache.hpp"
#include "gateway/api/command.hpp"
#include "gateway/api/rate_limiter.hpp"

namespace lykta::api {

struct RouterLimits {
    std::size_t max_payload = 64 * 1024;  // bytes; larger requests answer too_large
    std::size_t queue_capacity = 256;     // queued requests; more answer too_busy
    double rate_per_s = 50;               // per client; over it answers too_busy
    int max_depth = 32;                   // JSON nesting; deeper answers bad_json
};

struct Request {
    std::string command;  // "luminaire/set"
    std::string payload;  // raw bytes as received
    std::string client;   // rate-limit and answer-cache key: "mqtt", "local"
    // Delivers the complete response envelope ({"id":..,"status":..}). Called exactly once.
    std::function<void(nlohmann::json envelope)> reply;
    std::chrono::steady_clock::time_point received{};  // set by submit()
    // Where the answer goes as the requester named it (AnswerCache::reply_to:
    // MQTT 5 Response Topic and Correlation Data); part of the answer cache key.
    std::string reply_to{};
};

struct RouterCounters {
    std::uint64_t handled = 0;
    std::uint64_t rejected_busy = 0;  // queue full
    std::uint64_t rejected_rate = 0;  // client over its rate
    std::uint64_t handler_exceptions = 0;
    std::uint64_t replayed = 0;  // repeated ids answered from the answer cache
};

class CommandRouter {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    // `wake` is called when the queue becomes non-empty: the owner schedules drain().
    CommandRouter(RouterLimits limits, std::function<void()> wake);

    void add(const std::string& command, CommandHandler handler);
    bool has(const std::string& command) const { return handlers_.count(command) != 0; }
    std::vector<std::string> commands() const;

    // Rejects at once (too_large, too_busy) or queues the request.
    void submit(Request request, TimePoint now);
    // Serves up to `max` queued requests in arrival order; returns how many are left.
    std::size_t drain(std::size_t max = 64);
    // The gateway is stopping (or reloading): its features are being stopped, so
    // nothing may reach them any more. Queued and later requests are answered
    // too_busy ("stopping") and never run; a client retries on the next session.
    void close();

    std::size_t queued() const { return queue_.size(); }
    const RouterCounters& counters() const { return counters_; }
    const AnswerCache& answers() const { return answers_; }

private:
    void serve(Request& request);

    RouterLimits limits_;
    std::function<void()> wake_;
    RateLimiter rate_;
    std::map<std::string, CommandHandler> handlers_;
    std::deque<Request> queue_;
    RouterCounters counters_;
    AnswerCache answers_;
    bool closed_ = false;
};

}  // namespace lykta::api
