#pragma once
// Instants as the fault and statistics tables store them.
#include <cstdint>

#include "gateway/core/clock.hpp"

namespace lykta::faults {

// Whole seconds since the epoch, as stored in SQLite.
std::int64_t unix_seconds(SystemTime time);
SystemTime from_unix_seconds(std::int64_t seconds);

}  // namespace lykta::faults
