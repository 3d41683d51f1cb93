#pragma once
// Calendar dates and weekdays as written in the config:
//   "MM-DD" (every year), "YYYY-MM-DD" (one day), "a..b" ranges of either form
//   (a yearly range may cross the new year: "12-20..01-06"), and weekday
//   names mon..sun (a list item may be a range "mon..fri").
#include <date/tz.h>

#include <optional>
#include <string>
#include <string_view>

#include "gateway/config/model.hpp"
#include "gateway/config/yaml_reading.hpp"
#include "gateway/core/clock.hpp"

namespace lykta::config {

// On failure returns nullopt and sets `error` to a message without the path.
std::optional<DateSpec> parse_date_spec(std::string_view text, std::string* error = nullptr);
std::optional<DateRange> parse_date_range(std::string_view text, std::string* error = nullptr);
std::optional<Weekday> parse_weekday(std::string_view text);
// "last sunday of october", "2nd monday of may", "first fri of mar": ordinal
// 1st..5th / first..fifth / last, weekday (full or 3-letter), "of", month
// (full or 3-letter); case-insensitive, single spaces between words.
std::optional<NthWeekday> parse_nth_weekday(std::string_view text, std::string* error = nullptr);

// A time a command or the config takes (a flag's `from`/`until`, explain's
// `at`, an override's `until`): "YYYY-MM-DD" (a local date in `zone`; null
// zone = UTC) or an RFC 3339 date-time, both read by gateway/core/rfc3339.
// A bare date is the start of that day, or its end when `is_until`, so
// from: D, until: D is the whole of day D. On failure sets `error`.
std::optional<SystemTime> parse_flag_time(std::string_view text, const date::time_zone* zone, bool is_until,
                                          std::string& error);

// Reads a list of weekday names/ranges at `node`; reports bad names.
std::optional<WeekdaySet> read_weekdays(ParseContext& ctx, const YAML::Node& node, const std::string& path);
// A date (range) scalar at `node`, reported at the node when malformed.
std::optional<DateRange> read_date_range(ParseContext& ctx, const YAML::Node& node, const std::string& path);

}  // namespace lykta::config
