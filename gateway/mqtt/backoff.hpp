#pragma once
// Reconnect delays: doubling from `min` to `max`, each drawn uniformly from
// [d/2, d] ("equal jitter") so a city of gateways does not reconnect in lock
// step after a broker restart.
#include <algorithm>
#include <chrono>
#include <random>

namespace lykta::mqtt {

class Backoff {
public:
    using Ms = std::chrono::milliseconds;
    Backoff(Ms min, Ms max, std::uint32_t seed = std::random_device{}()) : min_(min), max_(max), rng_(seed) {}

    Ms next() {
        Ms ceiling = current_ == Ms::zero() ? min_ : std::min(max_, current_ * 2);
        current_ = ceiling;
        std::uniform_int_distribution<Ms::rep> pick(ceiling.count() / 2, ceiling.count());
        return Ms(pick(rng_));
    }
    void reset() { current_ = Ms::zero(); }

private:
    Ms min_, max_;
    Ms current_{0};
    std::mt19937 rng_;
};

}  // namespace lykta::mqtt
