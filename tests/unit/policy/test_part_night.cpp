// Part-night switch-off and its safety exemption, as a property over a year
// of nights and as the text `explain` shows.
#include <catch2/catch.hpp>

#include "field_config.hpp"
#include "gateway/policy/arbitration.hpp"
#include "gateway/policy/calendar.hpp"
#include "gateway/policy/night.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;

namespace {

const config::Luminaire& luminaire(const std::string& id) {
    for (const auto& l : field_config().luminaires)
        if (l.id == id) return l;
    FAIL("no luminaire " << id);
    throw;
}

}  // namespace

TEST_CASE("level_in_night marks a dark step between lit ones as part-night off", "[night][part_night]") {
    const auto place = Place::of(field_config().site);
    const auto& delnatt = field_config().schedule.profiles.front();
    REQUIRE(delnatt.name == "delnatt");
    const auto at2 = level_at(delnatt, place, local(place, 2025, 11, 11, 2, 0));
    CHECK(at2.level == 0);
    CHECK(at2.part_night_off);
    CHECK(at2.lit_before == 100);
    const auto at23 = level_at(delnatt, place, local(place, 2025, 11, 10, 23, 0));
    CHECK(at23.level == 100);
    CHECK_FALSE(at23.part_night_off);
    // After sunrise: dark, but that is the end of the night, not part-night.
    const auto noonish = level_at(delnatt, place, local(place, 2025, 11, 11, 11, 0));
    CHECK(noonish.level == 0);
    CHECK_FALSE(noonish.part_night_off);
    // Evening before sunset: carried over from last night's final step.
    const auto afternoon = level_at(delnatt, place, local(place, 2025, 11, 10, 14, 0));
    CHECK(afternoon.level == 0);
    CHECK_FALSE(afternoon.part_night_off);
}

TEST_CASE("part-night off: a flagged area keeps its floor, others go dark, all year", "[part_night]") {
    const auto in = PolicyInputs::from_config(field_config());
    const auto& p = in.place;
    int exempted = 0;
    for (auto night = day(2025, 1, 1); night < day(2026, 1, 1); night += date::days{1}) {
        const auto t = p.at_local(night + date::days{1}, 3 * 60);  // 03:00, inside 01:00..05:00
        const auto targets = decide_all(in, t);
        INFO("night " << night);
        REQUIRE(targets.size() == 3);
        const auto& gata = targets[0];
        const auto& park = targets[1];
        // Unflagged park: dark in its part-night window (or the whole night
        // when disabled), lit on the calendar's "fest" nights.
        const auto park_choice =
            choose_profile(field_config().schedule, *field_config().find_area("park"), night);
        CHECK(park.level == (park_choice.profile_name == "fest" ? 100 : 0));
        // Flagged street: lit at the trygg floor whenever the schedule is in part-night off.
        const auto sched = level_at(field_config().schedule.profiles.front(), p, t);
        if (sched.part_night_off) {
            CHECK(gata.level == 30);
            CHECK(gata.reason.source == Source::safety);
            ++exempted;
        } else {
            // Short summer nights: sunrise (moved onto 05:00) or no lit step before 01:00.
            CHECK(gata.level == (sched.level > 0 ? 100 : 0));
        }
    }
    CHECK(exempted > 200);
}

TEST_CASE("explain shows the part-night exemption and the flag", "[part_night][explain]") {
    const auto in = PolicyInputs::from_config(field_config());
    const auto t = local(in.place, 2025, 11, 11, 2, 0);
    const auto d = decide(in, luminaire("G-1"), t);
    CHECK(d.level == 30);
    CHECK(d.reason.source == Source::safety);
    CHECK(d.reason.id == "skolvag");
    CHECK(d.reason.detail.find("part-night off suppressed by safety flag skolvag") != std::string::npos);
    // Without the flag the same area goes dark at 01:00.
    auto bare = in;
    bare.flags.clear();
    CHECK(decide(bare, luminaire("G-1"), t).level == 0);
    // Before the switch-off, the schedule's 100 wins and nothing is suppressed.
    const auto evening = decide(in, luminaire("G-1"), local(in.place, 2025, 11, 10, 22, 0));
    CHECK(evening.level == 100);
    CHECK(evening.reason.detail.find("suppressed") == std::string::npos);
}

TEST_CASE("exemption without any safety floor keeps the level before the switch-off", "[part_night]") {
    auto in = PolicyInputs::from_config(field_config());
    // A flag on the park, whose safety profile "mjuk" is dark with no floor.
    auto flag = in.flags.front();
    flag.id = "park-flag";
    flag.area = "park";
    in.flags.push_back(flag);
    const auto t = local(in.place, 2025, 11, 11, 2, 0);
    const auto d = decide(in, luminaire("P-1"), t);
    CHECK(d.level == 100);
    CHECK(d.reason.detail.find("suppressed by safety flag park-flag") != std::string::npos);
    // decide_all agrees with decide.
    CHECK(decide_all(in, t)[1].level == d.level);
}
