#include "gateway/policy/place.hpp"

#include <cstdio>
#include <stdexcept>

namespace lykta::policy {

Place Place::of(const config::Site& site) {
    Place place{site.latitude, site.longitude, nullptr};
    try {
        place.zone = date::locate_zone(site.timezone);
    } catch (const std::exception& e) {
        throw std::runtime_error("unknown time zone '" + site.timezone + "': " + e.what());
    }
    return place;
}

SystemTime Place::at_local(date::local_days day, int minutes) const {
    const auto local = date::local_seconds{day} + std::chrono::minutes{minutes};
    // choose::earliest resolves the autumn overlap; for the spring gap date
    // returns the transition instant itself.
    return SystemTime{zone->to_sys(local, date::choose::earliest)};
}

date::local_seconds Place::to_local(SystemTime t) const {
    return zone->to_local(date::floor<std::chrono::seconds>(t));
}

date::local_days Place::local_date(SystemTime t) const {
    return date::floor<date::days>(to_local(t));
}

date::local_days Place::night_of(SystemTime t) const {
    const auto day = local_date(t);
    return t < night_start(day) ? day - date::days{1} : day;
}

std::string Place::local_clock(SystemTime t) const {
    const auto local = to_local(t);
    const auto since_midnight = local - date::floor<date::days>(local);
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count();
    char text[8];
    std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(minutes / 60),
                  static_cast<int>(minutes % 60));
    return text;
}

std::string Place::local_datetime(SystemTime t) const {
    return date::format("%F ", local_date(t)) + local_clock(t);
}

config::Weekday weekday_of(date::local_days day) {
    // ISO: Monday = 1 .. Sunday = 7; config::Weekday counts from mon = 0.
    return static_cast<config::Weekday>(date::weekday{day}.iso_encoding() - 1);
}

}  // namespace lykta::policy
