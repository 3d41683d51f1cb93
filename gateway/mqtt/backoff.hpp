#pragma once
// Reconnect delays: doubling from `min` to `max`, each drawn uniformly from
// [d/2, d] ("equal jitter") so a city of gateways does not reconnect in lock
// step after a broker restart. The first attempt after an established
// connection was lost waits anywhere in [0, spread] ("full jitter"): when a
// node of a cluster dies, the other nodes are up and every one of its
// gateways would otherwise land on them within the same half second, each
// republishing its retained state (docs/scaling.md, "Reconnect storms").
#include <algorithm>
#include <chrono>
#include <random>

namespace lykta::mqtt {

class Backoff {
public:
    using Ms = std::chrono::milliseconds;
    Backoff(Ms min, Ms max, std::uint32_t seed = std::random_device{}(), Ms spread = std::chrono::seconds(5))
        : min_(min), max_(max), spread_(spread), rng_(seed) {}

    Ms next() {
        Ms ceiling = current_ == Ms::zero() ? min_ : std::min(max_, current_ * 2);
        current_ = ceiling;
        std::uniform_int_distribution<Ms::rep> pick(ceiling.count() / 2, ceiling.count());
        return Ms(pick(rng_));
    }
    // The first delay after losing a connection that was up; the ones after
    // it double from `min` as next() does.
    Ms after_loss() {
        reset();
        std::uniform_int_distribution<Ms::rep> pick(0, spread_.count());
        return Ms(pick(rng_));
    }
    void reset() { current_ = Ms::zero(); }

private:
    Ms min_, max_, spread_;
    Ms current_{0};
    std::mt19937 rng_;
};

}  // namespace lykta::mqtt
