#include "gateway/api/answer_cache.hpp"

#include <algorithm>
#include <cstdio>

#include "gateway/core/fnv1a.hpp"

namespace lykta::api {

std::optional<std::string> AnswerCache::key(const std::string& client, const std::string& command,
                                            const nlohmann::json& args, std::string_view reply_to) {
    if (!args.is_object() || !args.contains("id") || args["id"].is_null()) return std::nullopt;
    constexpr auto replace = nlohmann::json::error_handler_t::replace;
    // The arguments' JSON text, keys in order (nlohmann::json's objects are
    // sorted maps): a retry that serialised its object in another key order is
    // the same request. JSON text never holds a raw NUL, so the separator keeps
    // "arguments, reply_to" unambiguous. 64 bits: two different requests with
    // the same client, command and id within max_age collide with odds of 2^-64.
    auto digest =
        fnv1a64(reply_to, fnv1a64(std::string_view("\0", 1), fnv1a64(args.dump(-1, ' ', false, replace))));
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(digest));
    // The id's JSON text: "7" and 7 are different ids, as the echo shows them.
    return client + '\n' + command + '\n' + args["id"].dump(-1, ' ', false, replace) + '\n' + hex;
}

std::string AnswerCache::reply_to(std::string_view response_topic, std::string_view correlation) {
    // A topic never holds U+0000 (MQTT 5.0 §1.5.4), so the NUL separates the two.
    std::string out(response_topic);
    out += '\0';
    out += correlation;
    return out;
}

bool AnswerCache::replay(const std::string& key, TimePoint now, const Reply& reply) {
    expire(now);
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        // Served now; the entry holds its place (and its waiters) until the answer.
        while (entries_.size() >= limits_.max_entries && evict_oldest_answered()) {
        }
        entries_[key] = Entry{now, std::nullopt, 0, {}};
        order_.push_back(key);
        return false;
    }
    ++replayed_;
    if (it->second.envelope)
        reply(*it->second.envelope);
    else
        it->second.waiting.push_back(reply);
    return true;
}

void AnswerCache::answered(const std::string& key, const nlohmann::json& envelope, TimePoint now) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;  // evicted while being served
    auto waiting = std::move(it->second.waiting);
    it->second.waiting.clear();
    auto size = envelope.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size();
    if (size > limits_.max_bytes / 8) {
        forget(key);
    } else {
        it->second.envelope = envelope;
        it->second.bytes = size;
        it->second.at = now;
        bytes_ += size;
        while (bytes_ > limits_.max_bytes && evict_oldest_answered()) {
        }
    }
    for (auto& reply : waiting) reply(envelope);
}

void AnswerCache::expire(TimePoint now) {
    // Entries still being served are kept whatever their age: their waiters need the answer.
    while (!order_.empty()) {
        auto it = entries_.find(order_.front());
        if (it != entries_.end() && (!it->second.envelope || now - it->second.at < limits_.max_age)) break;
        forget(order_.front());
    }
}

// Entries still being served are never evicted: their waiters need the answer.
// (The router's queue bound keeps their number small.)
bool AnswerCache::evict_oldest_answered() {
    for (const auto& key : order_) {
        if (entries_.at(key).envelope) {
            forget(std::string(key));
            return true;
        }
    }
    return false;
}

void AnswerCache::forget(const std::string& key) {
    auto it = entries_.find(key);
    if (it != entries_.end()) {
        bytes_ -= it->second.bytes;
        entries_.erase(it);
    }
    if (auto pos = std::find(order_.begin(), order_.end(), key); pos != order_.end()) order_.erase(pos);
}

}  // namespace lykta::api
