// Calendar rule forms for field practice: n-th weekday, seasonal disable
// (`disable: true` or `profile: off`) and sun-elevation steps in YAML.
#include <catch2/catch.hpp>

#include "config_test_support.hpp"
#include "gateway/config/date_parsing.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

TEST_CASE("nth weekday texts", "[config][calendar][nth]") {
    auto a = parse_nth_weekday("last sunday of october");
    REQUIRE(a);
    CHECK(*a == NthWeekday{-1, Weekday::sun, 10});
    auto b = parse_nth_weekday("2nd Monday of May");
    REQUIRE(b);
    CHECK(*b == NthWeekday{2, Weekday::mon, 5});
    auto c = parse_nth_weekday("first fri of mar");
    REQUIRE(c);
    CHECK(*c == NthWeekday{1, Weekday::fri, 3});
    std::string error;
    CHECK_FALSE(parse_nth_weekday("6th monday of may", &error));
    CHECK(error.find("ordinal") != std::string::npos);
    CHECK_FALSE(parse_nth_weekday("last funday of may", &error));
    CHECK(error.find("weekday") != std::string::npos);
    CHECK_FALSE(parse_nth_weekday("last sunday in october", &error));
    CHECK_FALSE(parse_nth_weekday("last sunday of octember", &error));
    CHECK(error.find("month") != std::string::npos);
}

TEST_CASE("calendar rules with nth, disable and profile: off load", "[config][calendar]") {
    // Appended lines continue the base config's `profiles:` map first.
    auto r =
        load_with(R"yaml(  natt: [ { at: "sun(-3)", level: 80 }, { at: "sun(-6.5, rising)+10m", level: 0 } ]
calendar:
  - { name: sommaruppehall, dates: ["05-15..08-15"], profile: off }
  - { name: paus, dates: ["12-24"], disable: true }
  - { name: sista, nth: "last sunday of october", profile: trygg }
  - { name: flera, nth: ["2nd monday of may", "last friday of june"], profile: natt }
)yaml");
    REQUIRE_LOADS(r);
    const auto& cal = r.config->schedule.calendar;
    REQUIRE(cal.size() >= 4);
    CHECK(cal[0].disable);
    CHECK(cal[0].profile.empty());
    CHECK(cal[1].disable);
    CHECK_FALSE(cal[2].disable);
    REQUIRE(cal[2].nth.size() == 1);
    CHECK(cal[2].nth[0] == NthWeekday{-1, Weekday::sun, 10});
    REQUIRE(cal[3].nth.size() == 2);
    CHECK(cal[3].nth[1] == NthWeekday{-1, Weekday::fri, 6});
    const auto& natt = r.config->schedule.profiles.back();
    REQUIRE(natt.name == "natt");
    CHECK(natt.steps[0].at.base == TimeExpr::Base::sun_elevation);
    CHECK(natt.steps[1].at.direction == TimeExpr::Direction::rising);
}

TEST_CASE("calendar rule mistakes are reported where they are", "[config][calendar]") {
    auto bad_nth = load_with(R"yaml(calendar:
  - { nth: "last sunday of octember", profile: centrum }
)yaml");
    REQUIRE_ERROR(bad_nth, 13, 12, "not a month");
    auto both = load_with(R"yaml(calendar:
  - { dates: ["12-24"], disable: true, profile: centrum }
)yaml");
    REQUIRE_ERROR(both, 13, 49, "takes no profile");
    auto bad_sun = load_with(R"yaml(  x: [ { at: "sun(-3, up)", level: 10
} ]
)yaml");
    REQUIRE_FALSE(bad_sun.ok());
    CHECK(dump(bad_sun.diagnostics).find("expected 'rising' or 'setting'") != std::string::npos);
}
