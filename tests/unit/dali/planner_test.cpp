#include <catch2/catch.hpp>

#include "drivers/dali/level_curve.hpp"
#include "drivers/dali/planner.hpp"

using namespace lykta::dali;

namespace {
BusLayout layout() {
    BusLayout l;
    for (int a = 0; a < 10; ++a) l.addresses.push_back(a);
    l.groups[1] = {0, 1, 2, 3, 4};
    l.groups[2] = {5, 6, 7};
    return l;
}
std::vector<Target> targets(std::vector<int> addresses, double percent, double fade = 0) {
    std::vector<Target> t;
    for (int a : addresses) t.push_back({a, percent, fade});
    return t;
}
}  // namespace

TEST_CASE("planner: whole bus alike is one broadcast", "[dali][planner]") {
    auto plan = plan_actuation(targets({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 70, 60), layout());
    REQUIRE(plan.size() == 1);
    CHECK(plan[0].to == Address::broadcast());
    CHECK(plan[0].level == level_from_percent(70));
    CHECK(plan[0].fade_code == fade_time_code(60));
    CHECK(plan[0].members.size() == 10);
}

TEST_CASE("planner: a whole group alike is one group frame", "[dali][planner]") {
    auto plan = plan_actuation(targets({0, 1, 2, 3, 4}, 40), layout());
    REQUIRE(plan.size() == 1);
    CHECK(plan[0].to == Address::group(1));

    auto t = targets({0, 1, 2, 3, 4}, 40);
    auto more = targets({5, 6, 7}, 100);
    t.insert(t.end(), more.begin(), more.end());
    t.push_back({9, 10, 0});
    plan = plan_actuation(t, layout());
    REQUIRE(plan.size() == 3);
    CHECK(plan[0].to == Address::group(1));
    CHECK(plan[1].to == Address::group(2));
    CHECK(plan[2].to == Address::short_address(9));
}

TEST_CASE("planner: members that differ go per address", "[dali][planner]") {
    auto t = targets({0, 1, 2, 3}, 40);
    t.push_back({4, 41, 0});  // one member differs: no group frame
    auto plan = plan_actuation(t, layout());
    REQUIRE(plan.size() == 5);
    for (const auto& p : plan) CHECK(p.to.kind == Address::Kind::short_address);
    // Partly targeted group: per address too.
    plan = plan_actuation(targets({5, 6}, 50), layout());
    CHECK(plan.size() == 2);
    // Whole bus but different fades: not a broadcast.
    auto mixed = targets({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 70, 60);
    mixed[9].fade_s = 0;
    plan = plan_actuation(mixed, layout());
    CHECK(plan.size() == 4);  // group 1, group 2, 8, 9
    CHECK(plan_actuation({}, layout()).empty());
    CHECK(layout().groups_of(6) == 1u << 2);
}
