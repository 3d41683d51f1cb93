#include "gateway/api/rate_limiter.hpp"

#include <algorithm>

namespace lykta::api {

namespace {
// Clients come and go (a future local socket has one per connection); a full
// table is reset rather than grown, which at worst grants one extra burst.
constexpr std::size_t max_clients = 1024;
}  // namespace

RateLimiter::RateLimiter(double rate_per_s) : rate_(rate_per_s), capacity_(std::max(1.0, rate_per_s)) {}

bool RateLimiter::allow(const std::string& client, TimePoint now) {
    if (rate_ <= 0) return true;
    auto it = buckets_.find(client);
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_clients) buckets_.clear();
        it = buckets_.emplace(client, Bucket{capacity_, now}).first;
    }
    Bucket& b = it->second;
    double elapsed = std::chrono::duration<double>(now - b.refilled).count();
    if (elapsed > 0) {
        b.tokens = std::min(capacity_, b.tokens + elapsed * rate_);
        b.refilled = now;
    }
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
}

}  // namespace lykta::api
