#include "gateway/stats/lighting_day.hpp"

#include <stdexcept>

#include "gateway/core/rfc3339.hpp"

namespace lykta::stats {

LightingCalendar::LightingCalendar(const std::string& timezone) : timezone_(timezone) {
    try {
        zone_ = date::locate_zone(timezone);
    } catch (const std::exception& e) {
        throw std::runtime_error("unknown time zone '" + timezone + "': " + e.what());
    }
}

Day LightingCalendar::day_of(SystemTime t) const {
    auto local = zone_->to_local(std::chrono::floor<std::chrono::seconds>(t));
    auto shifted = local - std::chrono::hours(12);
    return Day(date::floor<date::days>(shifted).time_since_epoch());
}

SystemTime LightingCalendar::start_of(Day day) const {
    auto local_noon = date::local_seconds(day.time_since_epoch()) + std::chrono::hours(12);
    return SystemTime(zone_->to_sys(local_noon, date::choose::earliest));
}

std::string day_text(Day day) {
    return date::format("%F", day);
}

std::string month_text(Day day) {
    return date::format("%Y-%m", day);
}

std::optional<Day> parse_day(std::string_view text) {
    auto ymd = lykta::parse_full_date(text);
    if (!ymd) return std::nullopt;
    return Day(*ymd);
}

}  // namespace lykta::stats
