#pragma once
// Lighting days: statistics are kept per night, so a day runs from local noon
// to the next local noon and is named by the date its evening falls on
// ("2026-11-24" = 24 Nov 12:00 .. 25 Nov 12:00 in the site's time zone).
// Noon is never inside a DST change, so every lighting day has a clear start.
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>
#include <date/tz.h>

#include "gateway/core/clock.hpp"

namespace lykta::stats {

using Day = date::sys_days;  // the label date (midnight UTC of that calendar date)

class LightingCalendar {
public:
    // Throws std::runtime_error naming the zone when it is unknown.
    explicit LightingCalendar(const std::string& timezone);

    Day day_of(SystemTime t) const;
    SystemTime start_of(Day day) const;  // local noon of the label date
    SystemTime end_of(Day day) const { return start_of(day + date::days{1}); }
    const std::string& timezone() const { return timezone_; }

private:
    std::string timezone_;
    const date::time_zone* zone_;
};

std::string day_text(Day day);                        // "YYYY-MM-DD"
std::optional<Day> parse_day(std::string_view text);  // strict "YYYY-MM-DD"
std::string month_text(Day day);                      // "YYYY-MM"

}  // namespace lykta::stats
