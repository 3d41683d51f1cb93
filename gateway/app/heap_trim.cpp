#include "gateway/app/heap_trim.hpp"

#include <malloc.h>

namespace lykta {

HeapTrim::HeapTrim(Timers& timers, std::chrono::milliseconds period)
    : job_(timers, "heap trim", period, [this] {
          trim();
          ++trims_;
      }) {}

bool HeapTrim::trim() {
    return malloc_trim(0) == 1;
}

}  // namespace lykta
