#pragma once
// Answers to recent requests, by (client, command, id, digest of the
// arguments, where the answer goes). Across a broker node crash a cluster
// delivers at least once: the platform retries with the same request, or the
// broker redelivers one the gateway already served. Such a copy is answered
// again with the first answer instead of being executed twice
// (docs/mqtt-api.md, "Idempotent requests"); the same id with other arguments
// is another request and runs. A copy whose first is still being served waits
// for that answer. Bounded by age, entry count and
// bytes; an answer too large to keep (a big inventory page) is not kept, so a
// repeat of such a read-only request simply runs again.
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace lykta::api {

struct AnswerCacheLimits {
    std::chrono::seconds max_age{300};
    std::size_t max_entries = 1024;
    std::size_t max_bytes = 1024 * 1024;  // sum of kept envelopes, serialised
};

class AnswerCache {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    using Reply = std::function<void(nlohmann::json envelope)>;

    explicit AnswerCache(AnswerCacheLimits limits = {}) : limits_(limits) {}

    // The key of a request, or nullopt when it cannot be recognised again (no
    // id, or a null id). `args` is the whole parsed request (with its id);
    // `reply_to` says where the answer goes (reply_to() below).
    static std::optional<std::string> key(const std::string& client, const std::string& command,
                                          const nlohmann::json& args, std::string_view reply_to);
    // An MQTT 5 request's Response Topic and Correlation Data as one text for
    // key(): a copy asks for its answer where the first did, so a request that
    // names another reply topic or correlation is another request.
    static std::string reply_to(std::string_view response_topic, std::string_view correlation);

    // Whether this request was seen: answered already (`reply` is called now
    // with that answer) or still being served (`reply` is called with its
    // answer when it comes). False: the caller serves it and calls answered().
    bool replay(const std::string& key, TimePoint now, const Reply& reply);
    // The answer to the request begun with replay(key) == false.
    void answered(const std::string& key, const nlohmann::json& envelope, TimePoint now);

    std::size_t size() const { return entries_.size(); }
    std::size_t bytes() const { return bytes_; }
    std::uint64_t replayed() const { return replayed_; }

private:
    struct Entry {
        TimePoint at;
        std::optional<nlohmann::json> envelope;  // nullopt while the request is being served
        std::size_t bytes = 0;
        std::vector<Reply> waiting;
    };
    void expire(TimePoint now);
    bool evict_oldest_answered();
    void forget(const std::string& key);

    AnswerCacheLimits limits_;
    std::map<std::string, Entry> entries_;
    std::deque<std::string> order_;  // keys, oldest first (a key appears once)
    std::size_t bytes_ = 0;
    std::uint64_t replayed_ = 0;
};

}  // namespace lykta::api
