// HeapTrim against the real glibc allocator: memory freed below a live block
// is given back only by a trim, and the feature trims on its timer (virtual time).
#include <malloc.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "gateway/app/heap_trim.hpp"
#include "gateway/core/manual_timers.hpp"

using namespace std::chrono_literals;

namespace {

// Bytes of free memory glibc holds in its main arena (not yet given back).
std::size_t free_held() {
    return mallinfo2().fordblks;
}

}  // namespace

TEST_CASE("heap trim gives back the memory a burst left below a live block", "[app][heap]") {
#if defined(__SANITIZE_ADDRESS__)
    SUCCEED("ASan replaces glibc's allocator: nothing for malloc_trim to give back");
    return;
#endif
    lykta::HeapTrim::trim();
    std::vector<char*> burst;
    for (int i = 0; i < 4096; ++i) {  // 4 MB in 1 KB blocks: heap, not mmap
        burst.push_back(static_cast<char*>(std::malloc(1024)));
        std::memset(burst.back(), 1, 1024);  // touched, so resident
    }
    // Every 64th block stays live, like the few long-lived objects a burst leaves: the
    // 63 KB holes between them cannot merge into the top, so free() keeps them.
    std::vector<char*> live;
    for (std::size_t i = 0; i < burst.size(); ++i)
        if (i % 64 == 63)
            live.push_back(burst[i]);
        else
            std::free(burst[i]);
    REQUIRE(free_held() >= 3u * 1024 * 1024);  // free, but still the process's
    CHECK(lykta::HeapTrim::trim());            // whole free pages went back to the kernel
    for (auto* p : live) std::free(p);
}

TEST_CASE("heap trim runs on its period on the loop", "[app][heap]") {
    lykta::ManualClock clock;
    lykta::ManualTimers timers(clock);
    lykta::HeapTrim heap(timers);  // every 10 s
    heap.start();
    clock.advance(9999ms);
    CHECK(heap.trims() == 0);
    clock.advance(1ms);
    CHECK(heap.trims() == 1);
    clock.advance(20s);
    CHECK(heap.trims() == 3);  // and again, every period
    heap.stop();
    CHECK(timers.pending() == 0);
    clock.advance(1min);
    CHECK(heap.trims() == 3);  // stopped means stopped
}
