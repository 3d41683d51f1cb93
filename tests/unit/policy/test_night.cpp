// Profiles resolved on a lighting night: placement, order, polar cases, DST.
#include <catch2/catch.hpp>

#include "gateway/policy/night.hpp"
#include "gateway/policy/solar.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;
using std::chrono::minutes;

TEST_CASE("a winter night at 56.43 N places every step in order", "[night]") {
    const Place place = Place::of(bastad_site);
    const auto night = resolve_night(centrum(), place, day(2025, 11, 25));
    REQUIRE(night.steps.size() == 5);
    const auto sun_d = solar_day(bastad_site, day(2025, 11, 25));
    const auto sun_next = solar_day(bastad_site, day(2025, 11, 26));
    CHECK(night.start == utc(2025, 11, 25, 11, 0));  // CET = UTC+1
    CHECK(night.end == utc(2025, 11, 26, 11, 0));
    CHECK(night.steps[0].at == sun_d.sunset.time - minutes{10});
    CHECK(night.steps[1].at == utc(2025, 11, 25, 21, 0));
    CHECK(night.steps[2].at == utc(2025, 11, 25, 23, 30));  // 00:30 belongs to the next morning
    CHECK(night.steps[3].at == utc(2025, 11, 26, 4, 30));
    CHECK(night.steps[4].at == sun_next.sunrise.time + minutes{10});
    for (const auto& s : night.steps) CHECK(s.note.empty());

    CHECK(level_at(centrum(), place, local(place, 2025, 11, 25, 14, 0)).level == 0);  // carried over
    CHECK(level_at(centrum(), place, local(place, 2025, 11, 25, 21, 59)).level == 100);
    CHECK(level_at(centrum(), place, local(place, 2025, 11, 25, 22, 0)).level == 70);
    CHECK(level_at(centrum(), place, local(place, 2025, 11, 26, 3, 0)).level == 40);
    CHECK(level_at(centrum(), place, local(place, 2025, 11, 26, 6, 0)).level == 100);
    CHECK(level_at(centrum(), place, local(place, 2025, 11, 26, 11, 0)).level == 0);
    CHECK(resolve_night(centrum(), bastad_site, day(2025, 11, 25)).steps[2].at == night.steps[2].at);
    CHECK(level_at(centrum(), bastad_site, local(place, 2025, 11, 26, 3, 0)).level == 40);
    auto at3 = level_at(centrum(), place, local(place, 2025, 11, 26, 3, 0));
    REQUIRE(at3.step);
    CHECK(at3.step->step_index == 2);
    CHECK(at3.next_change == utc(2025, 11, 26, 4, 30));
}

TEST_CASE("June at 56.43 N: a morning step before its predecessor takes over at the predecessor", "[night]") {
    const Place place = Place::of(bastad_site);
    const auto night = resolve_night(centrum(), place, day(2025, 6, 20));
    REQUIRE(night.steps.size() == 5);
    // Sunrise is about 04:18 CEST: sunrise+10m comes before 05:30.
    const auto sunrise = solar_day(bastad_site, day(2025, 6, 21)).sunrise.time;
    REQUIRE(sunrise + minutes{10} < utc(2025, 6, 21, 3, 30));
    CHECK(night.steps[4].at == utc(2025, 6, 21, 3, 30));
    CHECK_FALSE(night.steps[4].note.empty());
    CHECK(level_at(centrum(), place, local(place, 2025, 6, 21, 5, 30)).level == 0);
    CHECK(level_at(centrum(), place, local(place, 2025, 6, 21, 5, 29)).level == 40);
}

TEST_CASE("June at 56.43 N: a clock step before sunset lights the lamps at its own level", "[night]") {
    const Place place = Place::of(bastad_site);
    auto p = profile("early", {{"sunset", 100}, {"21:00", 60}, {"sunrise", 0}});
    const auto night = resolve_night(p, place, day(2025, 6, 20));
    const auto sunset = solar_day(bastad_site, day(2025, 6, 20)).sunset.time;
    REQUIRE(sunset > utc(2025, 6, 20, 19, 0));  // after 21:00 CEST
    REQUIRE(night.steps.size() == 3);
    CHECK(night.steps[1].at == sunset);
    CHECK(level_at(p, place, sunset).level == 60);
    CHECK(level_at(p, place, sunset - minutes{1}).level == 0);
    // In November the same profile runs as written.
    const auto winter = resolve_night(p, place, day(2025, 11, 20));
    CHECK(winter.steps[1].at == utc(2025, 11, 20, 20, 0));
    CHECK(winter.steps[1].note.empty());
}

TEST_CASE("polar day at Kiruna: no sunset, lamps off except clock steps", "[night][polar]") {
    const Place place = Place::of(kiruna_site);
    const auto night = resolve_night(centrum(), place, day(2025, 6, 21));
    // sunset-10m does not occur; sunrise+10m is at the night start, then moved behind 05:30.
    REQUIRE(night.steps.size() == 4);
    CHECK(night.steps[0].expr.to_string() == "22:00");
    CHECK(night.steps[3].step_index == 4);
    CHECK(night.steps[3].at == utc(2025, 6, 22, 3, 30));
    CHECK(level_at(centrum(), place, local(place, 2025, 6, 21, 15, 0)).level == 0);
    CHECK(level_at(centrum(), place, local(place, 2025, 6, 21, 23, 0)).level == 70);
    CHECK(level_at(centrum(), place, local(place, 2025, 6, 22, 6, 0)).level == 0);

    auto trygg = profile("trygg", {{"civil_dusk", 100}, {"civil_dawn", 0}}, 80);
    for (int h : {13, 18, 23, 1, 4, 11}) {
        const int d = h >= 12 ? 21 : 22;
        CHECK(level_at(trygg, place, local(place, 2025, 6, d, h, 0)).level == 0);
    }
}

TEST_CASE("polar night at Kiruna: no sunrise, lit all day", "[night][polar]") {
    const Place place = Place::of(kiruna_site);
    const auto night = resolve_night(centrum(), place, day(2025, 12, 20));
    // sunset-10m is "already dark" at the start; sunrise+10m does not occur.
    REQUIRE(night.steps.size() == 4);
    CHECK(night.steps[0].at == night.start);
    CHECK_FALSE(night.steps[0].note.empty());
    for (int h = 0; h < 24; ++h)
        CHECK(level_at(centrum(), place, local(place, 2025, 12, 21, h, 0)).level > 0);
}

TEST_CASE("DST nights in Europe/Stockholm keep local clock times", "[night][dst]") {
    const Place place = Place::of(bastad_site);
    auto p = profile("dst", {{"sunset", 100}, {"00:30", 40}, {"02:30", 20}, {"05:30", 100}, {"sunrise", 0}});
    SECTION("spring forward: 02:30 does not exist and happens at 03:00 CEST") {
        const auto night = resolve_night(p, place, day(2025, 3, 29));
        REQUIRE(night.steps.size() == 5);
        CHECK(night.end - night.start == std::chrono::hours{23});
        CHECK(night.steps[1].at == utc(2025, 3, 29, 23, 30));
        CHECK(night.steps[2].at == utc(2025, 3, 30, 1, 0));
        CHECK(night.steps[3].at == utc(2025, 3, 30, 3, 30));
    }
    SECTION("fall back: 02:30 happens twice and the first one counts") {
        const auto night = resolve_night(p, place, day(2025, 10, 25));
        REQUIRE(night.steps.size() == 5);
        CHECK(night.end - night.start == std::chrono::hours{25});
        CHECK(night.steps[1].at == utc(2025, 10, 25, 22, 30));
        CHECK(night.steps[2].at == utc(2025, 10, 26, 0, 30));
        CHECK(night.steps[3].at == utc(2025, 10, 26, 4, 30));
    }
}

TEST_CASE("a profile floor lifts lit levels only", "[night]") {
    const Place place = Place::of(bastad_site);
    auto p = profile("floored", {{"sunset", 100}, {"23:00", 30}, {"sunrise", 0}}, 80);
    CHECK(level_at(p, place, local(place, 2025, 11, 25, 23, 30)).level == 80);
    CHECK(level_at(p, place, local(place, 2025, 11, 26, 11, 0)).level == 0);
}
