#pragma once
// RFC 3339 timestamps as the API writes them (docs/mqtt-api.md): UTC with a
// "Z" offset. One implementation for every room so all payloads agree on
// precision and rounding (floor, never round up into the next second).
#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/clock.hpp"

namespace lykta {

// "2026-11-24T17:05:00Z"
std::string rfc3339_utc(SystemTime t);
// "2026-11-24T17:05:00.250Z": for measurements polled faster than once a second.
std::string rfc3339_utc_ms(SystemTime t);
// Accepts "T"/"t", "Z"/"z" or a numeric offset ("+01:00"); anything else, trailing text
// included, is nullopt.
std::optional<SystemTime> parse_rfc3339(std::string_view text);

}  // namespace lykta
