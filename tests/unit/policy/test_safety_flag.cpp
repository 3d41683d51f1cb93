// Safety flags: validity window, recurrence across midnight, transitions.
#include <catch2/catch.hpp>

#include "gateway/policy/safety_flag.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;

namespace {

config::SafetyFlag weekend_flag() {
    config::SafetyFlag f;
    f.id = "stationen-helg";
    f.area = "stationen";
    f.from = "2025-01-01";
    f.until = "2025-12-31";
    f.recurrence = config::Recurrence{{false, false, false, false, true, true, false}, 20 * 60, 4 * 60};
    return f;
}

}  // namespace

TEST_CASE("a recurring flag runs from the opening weekday's evening into the next morning", "[flags]") {
    const Place place = Place::of(bastad_site);
    const auto flag = flag_from_config(weekend_flag(), place);
    // Friday 2025-11-28.
    CHECK_FALSE(in_force(flag, place, local(place, 2025, 11, 28, 19, 59)));
    CHECK(in_force(flag, place, local(place, 2025, 11, 28, 20, 0)));
    CHECK(in_force(flag, place, local(place, 2025, 11, 29, 3, 59)));  // Saturday morning, Friday's window
    CHECK_FALSE(in_force(flag, place, local(place, 2025, 11, 29, 4, 0)));
    CHECK(in_force(flag, place, local(place, 2025, 11, 29, 23, 0)));        // Saturday's window
    CHECK(in_force(flag, place, local(place, 2025, 11, 30, 2, 0)));         // ... into Sunday morning
    CHECK_FALSE(in_force(flag, place, local(place, 2025, 11, 30, 21, 0)));  // Sunday: not listed
    CHECK_FALSE(in_force(flag, place, local(place, 2025, 11, 27, 23, 0)));  // Thursday

    auto window = force_window(flag, place, local(place, 2025, 11, 29, 1, 0));
    REQUIRE(window);
    CHECK(window->start == local(place, 2025, 11, 28, 20, 0));
    CHECK(window->end == local(place, 2025, 11, 29, 4, 0));
}

TEST_CASE("next flag change walks the windows and respects the validity period", "[flags]") {
    const Place place = Place::of(bastad_site);
    const auto flag = flag_from_config(weekend_flag(), place);
    // From Monday 2025-11-24 the next change is Friday 20:00.
    CHECK(next_flag_change(flag, place, local(place, 2025, 11, 24, 12, 0)) ==
          local(place, 2025, 11, 28, 20, 0));
    CHECK(next_flag_change(flag, place, local(place, 2025, 11, 28, 20, 0)) ==
          local(place, 2025, 11, 29, 4, 0));
    // Before from: the first window after it (Friday 2025-01-03).
    CHECK(next_flag_change(flag, place, local(place, 2024, 12, 20, 12, 0)) ==
          local(place, 2025, 1, 3, 20, 0));
    // until 2025-12-31 is the end of that day (a Wednesday): the last window is Sat 27th.
    CHECK(next_flag_change(flag, place, local(place, 2025, 12, 28, 12, 0)) == std::nullopt);
    // Friday 2025-12-26's window closes on time.
    CHECK(next_flag_change(flag, place, local(place, 2025, 12, 26, 21, 0)) ==
          local(place, 2025, 12, 27, 4, 0));
}

TEST_CASE("a flag without recurrence covers its whole validity window, RFC 3339 or local dates", "[flags]") {
    const Place place = Place::of(bastad_site);
    config::SafetyFlag f;
    f.id = "f1";
    f.area = "torget";
    f.from = "2025-11-25T18:00:00Z";
    f.until = "2025-11-26";  // end of that local day: 2025-11-26T23:00Z
    const auto flag = flag_from_config(f, place);
    CHECK_FALSE(in_force(flag, place, utc(2025, 11, 25, 17, 59)));
    CHECK(in_force(flag, place, utc(2025, 11, 25, 18, 0)));
    CHECK(in_force(flag, place, utc(2025, 11, 26, 22, 59)));
    CHECK_FALSE(in_force(flag, place, utc(2025, 11, 26, 23, 0)));
    CHECK(next_flag_change(flag, place, utc(2025, 11, 25, 12, 0)) == utc(2025, 11, 25, 18, 0));
    CHECK(next_flag_change(flag, place, utc(2025, 11, 25, 19, 0)) == utc(2025, 11, 26, 23, 0));

    f.until = "not a date";
    CHECK_THROWS_WITH(flag_from_config(f, place), Catch::Contains("f1"));
}

TEST_CASE("a recurrence window over the spring-forward night is an hour shorter", "[flags][dst]") {
    const Place place = Place::of(bastad_site);
    auto f = weekend_flag();
    f.recurrence->weekdays = {true, true, true, true, true, true, true};
    const auto flag = flag_from_config(f, place);
    auto window = force_window(flag, place, local(place, 2025, 3, 29, 23, 0));
    REQUIRE(window);
    REQUIRE(window->end);
    CHECK(*window->end - window->start == std::chrono::hours{7});
}
