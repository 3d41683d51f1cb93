// Arbitration on the example config: layer order, safety never lowers, floor,
// overrides and maintenance, next transition.
#include <catch2/catch.hpp>

#include <algorithm>

#include "example_config.hpp"
#include "gateway/policy/arbitration.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;
using std::chrono::minutes;

namespace {

const config::Luminaire& luminaire(const std::string& id) {
    const auto* l = example_config().find_luminaire(id);
    REQUIRE(l);
    return *l;
}

int applied_count(const Decision& d) {
    return static_cast<int>(
        std::count_if(d.stack.begin(), d.stack.end(), [](const Layer& l) { return l.applied; }));
}

}  // namespace

TEST_CASE("a weekend safety flag raises the station to its safety profile", "[arbitration]") {
    auto in = PolicyInputs::from_config(example_config());
    const auto& p = in.place;
    // Friday 2025-11-28 23:00: centrum says 70, trygg 100, floor 80.
    auto d = decide(in, luminaire("S-01"), local(p, 2025, 11, 28, 23, 0));
    CHECK(d.level == 100);
    CHECK(d.reason.source == Source::safety);
    CHECK(d.reason.id == "stationen-helg");
    CHECK(d.reason.until == local(p, 2025, 11, 29, 0, 30));  // centrum's next step still matters
    CHECK(applied_count(d) == 1);
    REQUIRE(d.stack.size() == 5);
    CHECK(d.stack[2].source == Source::safety);
    CHECK(d.stack[2].applied);
    CHECK(d.stack[4].level == 70);  // the default profile's level is still shown
    // Thursday: no flag, the default profile.
    auto thursday = decide(in, luminaire("S-01"), local(p, 2025, 11, 27, 23, 0));
    CHECK(thursday.level == 70);
    CHECK(thursday.reason.source == Source::default_profile);
    CHECK(thursday.reason.id == "centrum");
    CHECK(thursday.reason.until == local(p, 2025, 11, 28, 0, 30));
}

TEST_CASE("safety never lowers the schedule and keeps its floor only while lit", "[arbitration]") {
    auto config = example_config();
    // A dim safety profile: 30 % after 23:00, floor 60.
    auto dim = profile("dim", {{"sunset", 100}, {"23:00", 30}, {"04:00", 0}}, 60);
    config.schedule.profiles.push_back(dim);
    for (auto& f : config.safety_flags) f.profile = "dim";
    auto in = PolicyInputs::from_config(config);
    const auto& p = in.place;
    // Saturday 2025-11-29 03:00 (Friday's window): centrum 40, dim 30 -> floor 60.
    auto d = decide(in, *config.find_luminaire("S-02"), local(p, 2025, 11, 29, 3, 0));
    CHECK(d.level == 60);
    // Saturday 06:00 is outside the window: centrum's 100 untouched.
    CHECK(decide(in, *config.find_luminaire("S-02"), local(p, 2025, 11, 29, 6, 0)).level == 100);
    // Saturday 20:30 (window open), centrum at 100, dim at 100.
    CHECK(decide(in, *config.find_luminaire("S-02"), local(p, 2025, 11, 29, 20, 30)).level == 100);
    // A flag in force in daylight with both profiles dark stays dark.
    config.safety_flags[0].recurrence->from_minutes = 10 * 60;
    auto in2 = PolicyInputs::from_config(config);
    auto day_time = decide(in2, *config.find_luminaire("S-02"), local(p, 2025, 11, 28, 13, 0));
    CHECK(day_time.reason.source == Source::safety);
    CHECK(day_time.level == 0);
}

TEST_CASE("maintenance beats overrides, a luminaire override beats an area override", "[arbitration]") {
    auto in = PolicyInputs::from_config(example_config());
    const auto& p = in.place;
    const auto t = local(p, 2025, 11, 27, 23, 0);
    in.overrides.push_back({"area-dim", Scope::area, "torget", 20, 5, t + minutes{60}, t, "event"});
    CHECK(decide(in, luminaire("L-003"), t).level == 20);
    CHECK(decide(in, luminaire("L-003"), t).reason.source == Source::override_level);
    in.overrides.push_back({"lamp-up", Scope::luminaire, "L-003", 90, 0, std::nullopt, t, ""});
    auto d = decide(in, luminaire("L-003"), t);
    CHECK(d.level == 90);
    CHECK(d.reason.id == "lamp-up");
    CHECK(decide(in, luminaire("L-004"), t).level == 20);
    CHECK(decide_area(in, *example_config().find_area("torget"), t).level == 20);
    in.maintenance.push_back(
        {"m1", Maintenance::Kind::identify, Scope::luminaire, "L-003", 100, std::nullopt, t, ""});
    d = decide(in, luminaire("L-003"), t);
    CHECK(d.level == 100);
    CHECK(d.reason.source == Source::maintenance);
    CHECK(applied_count(d) == 1);
    // The area override expires at 00:00: torget falls back to its schedule.
    CHECK(decide(in, luminaire("L-004"), t + minutes{60}).level == 70);
    CHECK(decide(in, luminaire("L-004"), t + minutes{60}).reason.source == Source::default_profile);
}

TEST_CASE("next transition is the earliest change of any area, flag or override", "[arbitration]") {
    auto in = PolicyInputs::from_config(example_config());
    const auto& p = in.place;
    // Thursday 23:00: villa's 00:00 comes before centrum's 00:30.
    CHECK(next_transition(in, local(p, 2025, 11, 27, 23, 0)) == local(p, 2025, 11, 28, 0, 0));
    in.overrides.push_back({"o", Scope::area, "torget", 20, 0, local(p, 2025, 11, 27, 23, 30),
                            local(p, 2025, 11, 27, 22, 0), ""});
    CHECK(next_transition(in, local(p, 2025, 11, 27, 23, 0)) == local(p, 2025, 11, 27, 23, 30));
    // Friday 19:00: the flag opens at 20:00, before any step.
    CHECK(next_transition(in, local(p, 2025, 11, 28, 19, 0)) == local(p, 2025, 11, 28, 20, 0));
    // Friday 13:00: noon boundaries and the evening steps; sunset-10m is first.
    auto next = next_transition(in, local(p, 2025, 11, 28, 13, 0));
    REQUIRE(next);
    CHECK(p.local_clock(*next) < "16:00");

    // Walking the transitions: the decisions between two transitions never change.
    auto t = local(p, 2025, 11, 28, 12, 0);
    for (int i = 0; i < 30; ++i) {
        auto n = next_transition(in, t);
        REQUIRE(n);
        REQUIRE(*n > t);
        const auto before = decide_all(in, t);
        const auto just_before = decide_all(in, *n - std::chrono::seconds{1});
        for (std::size_t k = 0; k < before.size(); ++k) CHECK(before[k].level == just_before[k].level);
        t = *n;
    }
}

TEST_CASE("decide_all gives one decision per luminaire, as decide does", "[arbitration]") {
    auto in = PolicyInputs::from_config(example_config());
    const auto t = local(in.place, 2025, 11, 29, 1, 0);
    in.overrides.push_back({"x", Scope::luminaire, "V-02", 55, 0, std::nullopt, t, ""});
    const auto all = decide_all(in, t);
    REQUIRE(all.size() == example_config().luminaires.size());
    for (const auto& d : all) {
        auto one = decide(in, *example_config().find_luminaire(d.luminaire), t);
        CHECK(one.level == d.level);
        CHECK(one.fade_s == d.fade_s);
        CHECK(one.area == d.area);
        CHECK(one.reason.source == d.reason.source);
        CHECK(one.reason.id == d.reason.id);
        CHECK(one.reason.detail == d.reason.detail);
        CHECK(one.reason.until == d.reason.until);
        CHECK(one.stack.size() == 5);
        CHECK(d.stack.empty());  // the explanation is decide()'s; the daemon holds decide_all's
    }
}
