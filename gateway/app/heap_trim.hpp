#pragma once
// Gives free heap memory back to the kernel now and then. Bursts (start-up,
// the connect republish of ~1,000 retained states, a full statistics flush)
// leave free chunks between live ones; glibc returns only the top of the heap
// by itself, so without a trim a cabinet box keeps paying for the largest
// burst ever seen. malloc_trim(0) releases every whole free page
// (MADV_DONTNEED); at the daemon's heap size (≈ 4 MB) it takes well under a
// millisecond of CPU (docs/benchmarks.md, footprint). Loop thread only.
#include <chrono>
#include <cstddef>

#include "gateway/api/feature.hpp"
#include "gateway/core/periodic.hpp"
#include "gateway/core/timers.hpp"

namespace lykta {

class HeapTrim final : public Feature {
public:
    explicit HeapTrim(Timers& timers, std::chrono::milliseconds period = std::chrono::seconds(10));
    void start() override { job_.start(); }
    void stop() override { job_.stop(); }

    // One trim now; true when glibc gave memory back.
    static bool trim();
    std::size_t trims() const { return trims_; }

private:
    std::size_t trims_ = 0;
    PeriodicJob job_;
};

}  // namespace lykta
