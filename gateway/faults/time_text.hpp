#pragma once
// RFC 3339 timestamps of the API (docs/mqtt-api.md): written in UTC with "Z",
// read with "Z" or a numeric offset.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/clock.hpp"

namespace lykta::faults {

std::string rfc3339(SystemTime time);
std::optional<SystemTime> parse_rfc3339(std::string_view text);

// Whole seconds since the epoch, as stored in SQLite.
std::int64_t unix_seconds(SystemTime time);
SystemTime from_unix_seconds(std::int64_t seconds);

}  // namespace lykta::faults
