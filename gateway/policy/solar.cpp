#include "gateway/policy/solar.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace lykta::policy {
namespace {

constexpr double pi = std::numbers::pi;
double rad(double deg) {
    return deg * pi / 180.0;
}
double deg(double r) {
    return r * 180.0 / pi;
}

double julian_day(SystemTime t) {
    const double s = std::chrono::duration<double>(t.time_since_epoch()).count();
    return s / 86400.0 + 2440587.5;  // 1970-01-01T00:00Z = JD 2440587.5
}

// Sun position terms for Julian century `t` since J2000.0 (NOAA series).
struct SunTerms {
    double declination_deg;
    double equation_of_time_min;
};

SunTerms sun_terms(double t) {
    const double l0 = std::fmod(280.46646 + t * (36000.76983 + t * 0.0003032), 360.0);
    const double m = 357.52911 + t * (35999.05029 - 0.0001537 * t);
    const double e = 0.016708634 - t * (0.000042037 + 0.0000001267 * t);
    const double c = std::sin(rad(m)) * (1.914602 - t * (0.004817 + 0.000014 * t)) +
                     std::sin(rad(2 * m)) * (0.019993 - 0.000101 * t) + std::sin(rad(3 * m)) * 0.000289;
    const double omega = 125.04 - 1934.136 * t;
    const double apparent_long = l0 + c - 0.00569 - 0.00478 * std::sin(rad(omega));
    const double mean_obliquity =
        23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0;
    const double obliquity = mean_obliquity + 0.00256 * std::cos(rad(omega));
    const double declination = deg(std::asin(std::sin(rad(obliquity)) * std::sin(rad(apparent_long))));
    double y = std::tan(rad(obliquity) / 2.0);
    y *= y;
    const double eot = y * std::sin(2 * rad(l0)) - 2 * e * std::sin(rad(m)) +
                       4 * e * y * std::sin(rad(m)) * std::cos(2 * rad(l0)) -
                       0.5 * y * y * std::sin(4 * rad(l0)) - 1.25 * e * e * std::sin(2 * rad(m));
    return {declination, deg(eot) * 4.0};
}

SunTerms sun_terms_at(SystemTime t) {
    return sun_terms((julian_day(t) - 2451545.0) / 36525.0);
}

SystemTime from_minutes(date::sys_days day, double minutes) {
    return SystemTime{day.time_since_epoch()} + std::chrono::duration_cast<SystemTime::duration>(
                                                    std::chrono::duration<double, std::ratio<60>>(minutes));
}

// Solar noon nearest to `near`, using the sun terms at `at`.
SystemTime solar_noon(double longitude, SystemTime near, const SunTerms& terms) {
    const auto utc_day = date::floor<date::days>(near);
    SystemTime best{};
    double best_gap = 1e300;
    for (int shift = -1; shift <= 1; ++shift) {
        auto noon =
            from_minutes(utc_day + date::days{shift}, 720.0 - 4.0 * longitude - terms.equation_of_time_min);
        const double gap = std::abs(std::chrono::duration<double>(noon - near).count());
        if (gap < best_gap) {
            best_gap = gap;
            best = noon;
        }
    }
    return best;
}

}  // namespace

double event_altitude_deg(SunEvent event) {
    return event == SunEvent::civil_dawn || event == SunEvent::civil_dusk ? -6.0 : -0.833;
}

bool is_morning(SunEvent event) {
    return event == SunEvent::sunrise || event == SunEvent::civil_dawn;
}

SolarEvent solar_event(double latitude, double longitude, const date::time_zone& zone, date::local_days day,
                       SunEvent event) {
    return solar_crossing(latitude, longitude, zone, day, event_altitude_deg(event), is_morning(event));
}

SolarEvent solar_crossing(double latitude, double longitude, const date::time_zone& zone,
                          date::local_days day, double altitude, bool morning) {
    const SystemTime local_noon =
        zone.to_sys(date::local_seconds{day} + std::chrono::hours{12}, date::choose::earliest);
    // Solar noon (upper culmination) of this day, refined once with the sun there.
    SystemTime noon = solar_noon(longitude, local_noon, sun_terms_at(local_noon));
    noon = solar_noon(longitude, noon, sun_terms_at(noon));
    // The crossing lies between the lower culmination (about 12 h from noon)
    // and noon, where the altitude is monotone. Checking both ends first gives
    // a robust "does not occur" at high latitudes, where the NOAA hour-angle
    // iteration can flip when the sun grazes the altitude; the root itself is
    // the fixed point that iteration converges to.
    const SystemTime low = morning ? noon - std::chrono::hours{12} : noon + std::chrono::hours{12};
    auto elevation = [&](SystemTime t) { return solar_elevation_deg(latitude, longitude, t); };
    SolarEvent result;
    if (elevation(low) >= altitude) {
        result.kind = SolarEvent::Kind::sun_always_above;
        return result;
    }
    if (elevation(noon) < altitude) {
        result.kind = SolarEvent::Kind::sun_always_below;
        return result;
    }
    SystemTime below = low;  // sun below the altitude here
    SystemTime above = noon;
    while (std::chrono::abs(above - below) > std::chrono::milliseconds{500}) {
        const SystemTime mid = below + (above - below) / 2;
        (elevation(mid) < altitude ? below : above) = mid;
    }
    result.kind = SolarEvent::Kind::occurs;
    result.time = std::chrono::round<std::chrono::seconds>(below + (above - below) / 2);
    return result;
}

SolarDay solar_day(const config::Site& site, date::local_days day) {
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(site.timezone);
    } catch (const std::exception& e) {
        throw std::runtime_error("unknown time zone '" + site.timezone + "': " + e.what());
    }
    auto at = [&](SunEvent e) { return solar_event(site.latitude, site.longitude, *zone, day, e); };
    return {at(SunEvent::civil_dawn), at(SunEvent::sunrise), at(SunEvent::sunset), at(SunEvent::civil_dusk)};
}

double solar_elevation_deg(double latitude, double longitude, SystemTime t) {
    const SunTerms terms = sun_terms_at(t);
    const auto day = date::floor<date::days>(t);
    const double minutes =
        std::chrono::duration<double, std::ratio<60>>(t - SystemTime{day.time_since_epoch()}).count();
    const double true_solar_time = minutes + terms.equation_of_time_min + 4.0 * longitude;
    const double hour_angle = true_solar_time / 4.0 - 180.0;
    const double lat = rad(latitude);
    const double dec = rad(terms.declination_deg);
    const double cos_zenith =
        std::sin(lat) * std::sin(dec) + std::cos(lat) * std::cos(dec) * std::cos(rad(hour_angle));
    return 90.0 - deg(std::acos(std::clamp(cos_zenith, -1.0, 1.0)));
}

}  // namespace lykta::policy
