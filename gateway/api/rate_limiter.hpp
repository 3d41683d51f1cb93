#pragma once
// Token bucket per client: `rate_per_s` requests per second sustained, bursts
// up to one second's worth. Time is passed in (steady clock), so tests step it.
#include <chrono>
#include <map>
#include <string>

namespace lykta::api {

class RateLimiter {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    explicit RateLimiter(double rate_per_s);

    // Takes one token for `client`; false when its bucket is empty.
    bool allow(const std::string& client, TimePoint now);

private:
    struct Bucket {
        double tokens;
        TimePoint refilled;
    };
    double rate_;
    double capacity_;
    std::map<std::string, Bucket> buckets_;
};

}  // namespace lykta::api
