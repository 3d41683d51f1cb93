#pragma once
// The astronomical clock: sunrise, sunset and civil twilight for a site, from
// the NOAA solar position equations (Meeus, "Astronomical Algorithms"; the
// NOAA Solar Calculator uses the same series). Within 5 s of PyEphem at 56 N
// and 55 s at 67.85 N for every day of 2025 (tests/unit/policy/test_solar.cpp
// against tests/data/policy/solar_reference.csv; docs/policy.md).
#include <date/tz.h>

#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"

namespace lykta::policy {

enum class SunEvent { sunrise, sunset, civil_dawn, civil_dusk };

// Altitude of the sun's centre, degrees: -0.833 = 34' refraction + 16'
// semidiameter (sunrise/sunset), -6 = end of civil twilight.
double event_altitude_deg(SunEvent event);
bool is_morning(SunEvent event);  // sunrise, civil_dawn

struct SolarEvent {
    // occurs: `time` holds the instant. Otherwise the sun does not cross the
    // event's altitude that day: it stays above it (polar day; for civil
    // events also the light summer nights north of ~60.6 N) or below it (polar night).
    enum class Kind { occurs, sun_always_above, sun_always_below };
    Kind kind = Kind::occurs;
    SystemTime time{};
    bool occurs() const { return kind == Kind::occurs; }
};

// The event on the solar day whose local noon falls on `day` in `zone`
// (morning events before that noon, evening events after it). At high
// latitudes an evening event may fall after local midnight.
SolarEvent solar_event(double latitude, double longitude, const date::time_zone& zone, date::local_days day,
                       SunEvent event);

// The same for any altitude of the sun's centre (degrees, geometric, no
// refraction): the rising crossing before that day's solar noon (`morning`)
// or the setting one after it. Sun-elevation steps ("sun(-3)") use this.
SolarEvent solar_crossing(double latitude, double longitude, const date::time_zone& zone,
                          date::local_days day, double altitude_deg, bool morning);

struct SolarDay {
    SolarEvent civil_dawn;
    SolarEvent sunrise;
    SolarEvent sunset;
    SolarEvent civil_dusk;
};

// All four events of local date `day` at the site; the zone is looked up by name
// (throws std::runtime_error naming it when unknown).
SolarDay solar_day(const config::Site& site, date::local_days day);

// Solar elevation (degrees above the horizon, no refraction) at `t`; used by
// tests to cross-check event times.
double solar_elevation_deg(double latitude, double longitude, SystemTime t);

}  // namespace lykta::policy
