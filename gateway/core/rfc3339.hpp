#pragma once
// RFC 3339 timestamps. Writing: UTC with a "Z" offset, as the API writes them
// (docs/mqtt-api.md), one implementation for every room so all payloads agree
// on precision and rounding (floor, never round up into the next second).
// Reading: the one parser of every time a command or the config takes
// (issue 21: report/get once refused fractions that explain took), following
// the grammar of RFC 3339 section 5.6 (IETF, July 2002).
#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/clock.hpp"

namespace lykta {

// "2026-11-24T17:05:00Z"
std::string rfc3339_utc(SystemTime t);
// "2026-11-24T17:05:00.250Z": for measurements polled faster than once a second.
std::string rfc3339_utc_ms(SystemTime t);

// RFC 3339 section 5.6 `date-time`:
//   full-date "T" partial-time time-offset, partial-time = HH:MM:SS [time-secfrac],
//   time-secfrac = "." 1*DIGIT, time-offset = "Z" / ("+" / "-") HH:MM.
// Also as section 5.6 allows: "t" and "z" in lower case, and a space instead of
// "T" (its NOTE lets applications choose one for readability). Any number of
// fraction digits; the instant keeps what SystemTime holds (nanoseconds), the
// rest is floored. "-00:00" (section 4.3, offset unknown) is the UTC instant.
// A leap second (second 60, section 5.7: only at the end of a UTC month's last
// minute) is the last representable instant of its minute, as SystemTime
// (POSIX time) counts none. Anything else, trailing text included, is nullopt;
// `error`, when given, then says what is wrong.
std::optional<SystemTime> parse_rfc3339(std::string_view text, std::string* error = nullptr);

// RFC 3339 section 5.6 `full-date` alone: "YYYY-MM-DD", the day checked
// against its month and year (section 5.7). Years outside what SystemTime
// holds (64-bit nanoseconds since 1970: rfc3339_first_year..rfc3339_last_year,
// with a day's margin for offsets) are refused, for dates and date-times alike.
inline constexpr int rfc3339_first_year = 1678;
inline constexpr int rfc3339_last_year = 2261;
std::optional<date::year_month_day> parse_full_date(std::string_view text, std::string* error = nullptr);

}  // namespace lykta
