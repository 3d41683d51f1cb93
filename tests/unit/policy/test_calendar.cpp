// Calendar: first matching rule wins; yearly ranges across the new year; holidays.
#include <catch2/catch.hpp>

#include "example_config.hpp"
#include "gateway/policy/calendar.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;

namespace {

ProfileChoice choice(const std::string& area, date::local_days night) {
    const auto& c = example_config();
    const auto* a = c.find_area(area);
    REQUIRE(a);
    return choose_profile(c.schedule, *a, night);
}

}  // namespace

TEST_CASE("date specs and ranges, yearly ranges cross the new year", "[calendar]") {
    auto range = config::DateRange{{0, 12, 20}, {0, 1, 6}};
    CHECK(date_matches(range, day(2025, 12, 20)));
    CHECK(date_matches(range, day(2025, 12, 31)));
    CHECK(date_matches(range, day(2026, 1, 1)));
    CHECK(date_matches(range, day(2026, 1, 6)));
    CHECK_FALSE(date_matches(range, day(2026, 1, 7)));
    CHECK_FALSE(date_matches(range, day(2025, 12, 19)));
    auto dated = config::DateRange{{2025, 4, 18}, {2025, 4, 21}};
    CHECK(date_matches(dated, day(2025, 4, 19)));
    CHECK_FALSE(date_matches(dated, day(2026, 4, 19)));
    CHECK(date_matches(config::DateSpec{0, 2, 29}, day(2024, 2, 29)));
    CHECK_FALSE(date_matches(config::DateSpec{2025, 5, 1}, day(2026, 5, 1)));
}

TEST_CASE("example calendar: first matching rule wins, else the area's profile", "[calendar]") {
    // 2025-06-20 is a Friday: midsommar (rule 1) beats helgkvall (rule 4) on torget.
    auto midsummer = choice("torget", day(2025, 6, 20));
    CHECK(midsummer.rule == "midsommar");
    CHECK(midsummer.profile_name == "trygg");
    REQUIRE(midsummer.profile);
    // Villagatan is not in midsommar's areas, but 2025-06-20 is in helgdagar.
    CHECK(choice("villagatan", day(2025, 6, 20)).rule == "helgdagar");
    CHECK(choice("villagatan", day(2025, 6, 20)).profile_name == "centrum");
    // An ordinary Friday (2025-11-28) on torget: helgkvall; on Hamnpromenaden: default.
    CHECK(choice("torget", day(2025, 11, 28)).rule == "helgkvall");
    auto harbour = choice("hamnpromenaden", day(2025, 11, 28));
    CHECK_FALSE(harbour.from_calendar());
    CHECK(harbour.profile_name == "centrum");
    // Christmas range across the new year, Tuesday 2026-01-06.
    CHECK(choice("torget", day(2026, 1, 6)).rule == "jul");
    CHECK(choice("torget", day(2026, 1, 7)).rule.empty());  // a Wednesday
    // The night belongs to its start date: Thursday 2025-11-27's night is not helgkvall.
    CHECK(choice("torget", day(2025, 11, 27)).rule.empty());
    // A yearly holiday and one fixed to 2025.
    CHECK(choice("villagatan", day(2026, 5, 1)).rule == "helgdagar");
    CHECK(choice("villagatan", day(2026, 4, 18)).rule.empty());
}

TEST_CASE("a rule with dates and holidays needs both", "[calendar]") {
    config::Schedule schedule;
    schedule.holidays["h"] = {{0, 12, 24}, {0, 6, 6}};
    config::CalendarRule rule;
    rule.name = "december-holidays";
    rule.dates = {{{0, 12, 1}, {0, 12, 31}}};
    rule.holidays = {"h"};
    CHECK(rule_matches(rule, schedule, "any", day(2025, 12, 24)));
    CHECK_FALSE(rule_matches(rule, schedule, "any", day(2025, 6, 6)));
    CHECK_FALSE(rule_matches(rule, schedule, "any", day(2025, 12, 23)));
    rule.weekdays = config::WeekdaySet{false, false, false, true, false, false, false};  // thu
    CHECK_FALSE(rule_matches(rule, schedule, "any", day(2025, 12, 24)));                 // a Wednesday
    CHECK(rule_matches(rule, schedule, "any", day(2026, 12, 24)));                       // a Thursday
}
