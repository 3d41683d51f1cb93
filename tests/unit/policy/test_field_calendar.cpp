// Calendar field practice: n-th weekday rules, first match wins, yearly ranges
// across the new year, seasonal disable ("no lighting"), nights named by
// their evening's date.
#include <catch2/catch.hpp>

#include "field_config.hpp"
#include "gateway/policy/arbitration.hpp"
#include "gateway/policy/calendar.hpp"
#include "gateway/policy/plan.hpp"
#include "gateway/policy/policy_json.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;

namespace {

ProfileChoice park_on(date::local_days night) {
    const auto& c = field_config();
    return choose_profile(c.schedule, *c.find_area("park"), night);
}

const config::Luminaire& luminaire(const std::string& id) {
    for (const auto& l : field_config().luminaires)
        if (l.id == id) return l;
    FAIL("no luminaire " << id);
    throw;
}

}  // namespace

TEST_CASE("n-th weekday of a month matches exactly one day a year", "[calendar][nth]") {
    const config::NthWeekday last_sunday_october{-1, config::Weekday::sun, 10};
    const config::NthWeekday second_monday_may{2, config::Weekday::mon, 5};
    const config::NthWeekday fifth_friday_jan{5, config::Weekday::fri, 1};
    for (int year : {2024, 2025, 2026, 2027, 2028}) {
        int last = 0, second = 0, fifth = 0;
        for (auto d = day(year, 1, 1); d < day(year + 1, 1, 1); d += date::days{1}) {
            last += date_matches(last_sunday_october, d);
            second += date_matches(second_monday_may, d);
            fifth += date_matches(fifth_friday_jan, d);
        }
        CHECK(last == 1);
        CHECK(second == 1);
        CHECK(fifth <= 1);
    }
    // Independent values: the EU summer-time end and Swedish calendar.
    CHECK(date_matches(last_sunday_october, day(2025, 10, 26)));
    CHECK(date_matches(last_sunday_october, day(2026, 10, 25)));
    CHECK_FALSE(date_matches(last_sunday_october, day(2025, 10, 19)));
    CHECK(date_matches(second_monday_may, day(2025, 5, 12)));
    CHECK(date_matches(second_monday_may, day(2026, 5, 11)));
    CHECK_FALSE(date_matches(second_monday_may, day(2025, 5, 5)));
    CHECK(date_matches(fifth_friday_jan, day(2027, 1, 29)));  // Jan 2027 has five Fridays
    CHECK(date_matches(fifth_friday_jan, day(2026, 1, 30)));
    for (auto d = day(2024, 1, 1); d < day(2024, 2, 1); d += date::days{1})
        CHECK_FALSE(date_matches(fifth_friday_jan, d));  // Jan 2024 has four
}

TEST_CASE("rules in order: seasonal disable, n-th weekday, ranges across the new year", "[calendar]") {
    // Seasonal disable: the whole summer pause, inclusive, nothing outside it.
    auto june = park_on(day(2025, 6, 20));
    CHECK(june.disabled);
    CHECK(june.rule == "sommaruppehall");
    REQUIRE(june.profile);
    CHECK(june.profile->steps.empty());
    CHECK(park_on(day(2025, 5, 15)).disabled);
    CHECK(park_on(day(2025, 8, 15)).disabled);
    CHECK_FALSE(park_on(day(2025, 8, 16)).disabled);
    CHECK_FALSE(park_on(day(2025, 5, 14)).disabled);
    // 2nd Monday of May 2025 is the 12th, before the pause: the n-th rule.
    CHECK(park_on(day(2025, 5, 12)).rule == "hostlov");
    // 2nd Monday of May 2026 is the 11th.
    CHECK(park_on(day(2026, 5, 11)).rule == "hostlov");
    CHECK(park_on(day(2026, 5, 4)).rule.empty());  // the first Monday: no rule
    CHECK(park_on(day(2025, 10, 26)).profile_name == "fest");
    // New-year range, and first match wins: 12-24 is in "jul" (listed before
    // "vinterpaus"), so the later disable never fires.
    CHECK(park_on(day(2025, 12, 31)).rule == "jul");
    CHECK(park_on(day(2026, 1, 6)).rule == "jul");
    CHECK(park_on(day(2026, 1, 7)).rule.empty());
    CHECK(park_on(day(2025, 12, 24)).rule == "jul");
    // The other area is not named by these rules.
    const auto& c = field_config();
    CHECK(choose_profile(c.schedule, *c.find_area("gata"), day(2025, 6, 20)).rule.empty());
}

TEST_CASE("a disabled night is dark and explain says why; the night is its evening's date", "[calendar]") {
    const auto in = PolicyInputs::from_config(field_config());
    const auto& p = in.place;
    // 02:00 on 2025-08-16 belongs to the night of 08-15: still the pause.
    auto d = decide(in, luminaire("P-1"), local(p, 2025, 8, 16, 2, 0));
    CHECK(d.level == 0);
    REQUIRE(d.stack.size() == 5);
    CHECK(d.stack[3].id == "sommaruppehall");
    CHECK(d.stack[3].detail.find("no lighting") != std::string::npos);
    // The night of 08-16 is lit again after sunset (a normal delnatt night).
    auto e = decide(in, luminaire("P-1"), local(p, 2025, 8, 16, 23, 0));
    CHECK(e.level == 100);
    CHECK(e.reason.source == Source::default_profile);
}

TEST_CASE("plan shows a disabled night, named by its evening's date", "[calendar][plan]") {
    const auto in = PolicyInputs::from_config(field_config());
    const auto plan = plan_area(in, "park", day(2025, 8, 15));
    CHECK(plan.choice.disabled);
    CHECK(plan.steps.empty());
    for (const auto& entry : plan.timeline) CHECK(entry.level == 0);
    CHECK(plan.start == in.place.at_local(day(2025, 8, 15), 12 * 60));
    CHECK(plan.end == in.place.at_local(day(2025, 8, 16), 12 * 60));
    CHECK(render_plan_text(plan, in.place).find("lighting disabled tonight") != std::string::npos);
    const auto json = to_json(plan, in.place);
    CHECK(json["disabled"] == true);
    CHECK(json["rule"] == "sommaruppehall");
    CHECK(json["night"] == "2025-08-15");
    CHECK(to_json(plan_area(in, "park", day(2025, 8, 16)), in.place)["disabled"] == false);
}
