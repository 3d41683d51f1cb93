#pragma once
// The site the policy evaluates for: coordinates plus the resolved time zone,
// and the "lighting night" that every schedule is evaluated on.
//
// A lighting night D runs from local noon of date D to local noon of D+1, so
// the steps after midnight belong to the evening that started the night
// before, and a night is never split by the date change.
#include <date/tz.h>

#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"

namespace lykta::policy {

struct Place {
    double latitude = 0;
    double longitude = 0;
    const date::time_zone* zone = nullptr;

    // Throws std::runtime_error naming the zone when the tz database lacks it.
    static Place of(const config::Site& site);

    // Local wall-clock time `minutes` after midnight of `day` as an instant.
    // In the spring-forward gap the instant of the change is used (02:30 on
    // that night is 03:00 CEST); in the autumn overlap the earlier one.
    SystemTime at_local(date::local_days day, int minutes) const;
    date::local_seconds to_local(SystemTime t) const;
    date::local_days local_date(SystemTime t) const;
    // The lighting night containing `t`.
    date::local_days night_of(SystemTime t) const;
    SystemTime night_start(date::local_days night) const { return at_local(night, 12 * 60); }
    SystemTime night_end(date::local_days night) const { return at_local(night + date::days{1}, 12 * 60); }
    // "HH:MM" local.
    std::string local_clock(SystemTime t) const;
    // "YYYY-MM-DD HH:MM" local.
    std::string local_datetime(SystemTime t) const;
};

config::Weekday weekday_of(date::local_days day);

}  // namespace lykta::policy
