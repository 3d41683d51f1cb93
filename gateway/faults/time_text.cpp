#include "gateway/faults/time_text.hpp"

#include <date/date.h>

namespace lykta::faults {

std::int64_t unix_seconds(SystemTime time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

SystemTime from_unix_seconds(std::int64_t seconds) {
    return SystemTime(std::chrono::seconds(seconds));
}

}  // namespace lykta::faults
