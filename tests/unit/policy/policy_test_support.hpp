#pragma once
// Shared helpers for the policy tests: sites, profiles from text, local instants.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "gateway/config/time_expr.hpp"
#include "gateway/policy/place.hpp"

namespace lykta::policy::test {

inline const config::Site bastad_site{56.4296, 12.8532, "Europe/Stockholm"};
inline const config::Site kiruna_site{67.85, 20.22, "Europe/Stockholm"};

inline config::Profile profile(std::string name, std::vector<std::pair<std::string, double>> steps,
                               std::optional<double> floor = std::nullopt) {
    config::Profile p;
    p.name = std::move(name);
    p.floor = floor;
    for (const auto& [at, level] : steps) {
        auto expr = config::parse_time_expr(at);
        REQUIRE(expr);
        p.steps.push_back({*expr, level, 0});
    }
    return p;
}

// The example config's "centrum" profile.
inline config::Profile centrum() {
    return profile("centrum",
                   {{"sunset-10m", 100}, {"22:00", 70}, {"00:30", 40}, {"05:30", 100}, {"sunrise+10m", 0}});
}

inline date::local_days day(int y, unsigned m, unsigned d) {
    return date::local_days{date::year{y} / m / d};
}

// Local wall clock in Europe/Stockholm as an instant (earliest when ambiguous).
inline SystemTime local(const Place& place, int y, unsigned m, unsigned d, int hh, int mm) {
    return place.at_local(day(y, m, d), hh * 60 + mm);
}

inline SystemTime utc(int y, unsigned m, unsigned d, int hh, int mm) {
    return SystemTime{date::sys_days{date::year{y} / m / d}} + std::chrono::hours{hh} +
           std::chrono::minutes{mm};
}

}  // namespace lykta::policy::test
