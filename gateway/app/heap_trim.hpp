#pragma once
// Gives free heap memory back to the kernel now and then. Bursts (start-up,
// the connect republish of ~1,000 retained states, a full statistics flush)
// leave free chunks between live ones; glibc returns only the top of the heap
// by itself, so without a trim a cabinet box keeps paying for the largest
// burst ever seen. malloc_trim(0) releases every whole free page
// (MADV_DONTNEED); at the daemon's heap size (≈ 4 MB) it takes well under a
// millisecond of CPU (docs/benchmarks.md, footprint). Loop thread only.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <memory>

#include "gateway/api/feature.hpp"

namespace lykta {

class HeapTrim final : public Feature {
public:
    explicit HeapTrim(asio::io_context& io, std::chrono::milliseconds period = std::chrono::seconds(10));
    ~HeapTrim() override;
    void start() override;
    void stop() override;

    // One trim now; true when glibc gave memory back.
    static bool trim();
    std::size_t trims() const { return trims_; }

private:
    void arm();

    asio::steady_timer timer_;
    std::chrono::milliseconds period_;
    std::size_t trims_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta
