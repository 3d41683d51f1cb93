#include "gateway/http/login_throttle.hpp"

#include <algorithm>

namespace lykta::http {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

milliseconds LoginThrottle::wait_for(const std::string& address, Clock::time_point now) const {
    auto it = entries_.find(address);
    if (it == entries_.end() || now >= it->second.open_at) return milliseconds(0);
    return std::max(milliseconds(1), duration_cast<milliseconds>(it->second.open_at - now));
}

milliseconds LoginThrottle::failed(const std::string& address, Clock::time_point now) {
    auto it = entries_.find(address);
    if (it != entries_.end() && now - it->second.last_failure > limits_.forget_after) entries_.erase(it);
    if (entries_.size() >= limits_.max_addresses && !entries_.count(address)) {
        auto quietest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
            return a.second.last_failure < b.second.last_failure;
        });
        entries_.erase(quietest);
    }
    auto& e = entries_[address];
    e.failures = std::min(e.failures + 1, 30);  // 2^30 * base is past any cap
    auto wait = limits_.base * (1LL << (e.failures - 1));
    wait = std::min<milliseconds>(wait, limits_.cap);
    e.last_failure = now;
    e.open_at = now + wait;
    return wait;
}

void LoginThrottle::succeeded(const std::string& address) {
    entries_.erase(address);
}

int LoginThrottle::failures(const std::string& address) const {
    auto it = entries_.find(address);
    return it == entries_.end() ? 0 : it->second.failures;
}

}  // namespace lykta::http
