#pragma once
// Wrong passwords slow down their sender: per client address, the n-th
// failure in a row closes that address's door for base * 2^(n-1) (capped);
// an attempt while it is closed is refused without looking at the password.
// A success opens it again; an address quiet for `forget_after` starts over.
// Bounded: at most `max_addresses` are tracked, the longest-quiet dropped first.
#include <chrono>
#include <cstddef>
#include <map>
#include <string>

namespace lykta::http {

class LoginThrottle {
public:
    using Clock = std::chrono::steady_clock;
    struct Limits {
        std::chrono::milliseconds base{500};
        std::chrono::milliseconds cap{60'000};
        std::chrono::milliseconds forget_after{15 * 60'000};
        std::size_t max_addresses = 1024;
    };
    LoginThrottle() : LoginThrottle(Limits{}) {}
    explicit LoginThrottle(Limits limits) : limits_(limits) {}

    // Zero when `address` may try now, else how long until it may.
    std::chrono::milliseconds wait_for(const std::string& address, Clock::time_point now) const;
    // Records a wrong password; returns the wait it imposes (for the log and Retry-After).
    std::chrono::milliseconds failed(const std::string& address, Clock::time_point now);
    void succeeded(const std::string& address);
    int failures(const std::string& address) const;
    std::size_t tracked() const { return entries_.size(); }

private:
    struct Entry {
        int failures = 0;
        Clock::time_point last_failure{};
        Clock::time_point open_at{};
    };
    Limits limits_;
    std::map<std::string, Entry> entries_;
};

}  // namespace lykta::http
