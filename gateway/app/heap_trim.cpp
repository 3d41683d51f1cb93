#include "gateway/app/heap_trim.hpp"

#include <malloc.h>

namespace lykta {

HeapTrim::HeapTrim(asio::io_context& io, std::chrono::milliseconds period) : timer_(io), period_(period) {}

HeapTrim::~HeapTrim() {
    *alive_ = false;
}

void HeapTrim::start() {
    arm();
}

void HeapTrim::stop() {
    *alive_ = false;
    timer_.cancel();
}

bool HeapTrim::trim() {
    return malloc_trim(0) == 1;
}

void HeapTrim::arm() {
    timer_.expires_after(period_);
    std::weak_ptr<bool> alive = alive_;
    timer_.async_wait([this, alive](std::error_code ec) {
        if (auto a = alive.lock(); ec || !a || !*a) return;
        trim();
        ++trims_;
        arm();
    });
}

}  // namespace lykta
