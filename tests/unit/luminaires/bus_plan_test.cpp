#include <catch2/catch.hpp>

#include "drivers/dali/level_curve.hpp"
#include "gateway/config/loader.hpp"
#include "gateway/luminaires/bus_plan.hpp"
#include "gateway/luminaires/commission_report.hpp"
#include "gateway/luminaires/state_payload.hpp"

using namespace lykta;

namespace {
config::Config demo() {
    auto r = config::load_file(std::string(LYKTA_SOURCE_DIR) + "/config/demo.yaml");
    REQUIRE(r.ok());
    return *r.config;
}
}  // namespace

TEST_CASE("bus plan: addresses, DALI groups from areas, luminaires by address", "[luminaires]") {
    auto c = demo();
    auto plan = luminaires::plan_bus(c, "bus1");
    REQUIRE_FALSE(plan.layout.addresses.empty());
    CHECK(std::is_sorted(plan.layout.addresses.begin(), plan.layout.addresses.end()));
    for (int a : plan.layout.addresses) {
        const auto* l = plan.by_address.at(a);
        CHECK(l->bus == "bus1");
        const auto* area = c.find_area(l->area);
        REQUIRE(area);
        const int group = area->dali_groups.at("bus1");
        CHECK(plan.layout.groups_of(a) == 1u << group);
    }
    CHECK(plan.fail_safe.size() == plan.layout.addresses.size());
    CHECK(luminaires::plan_bus(c, "no-such-bus").layout.addresses.empty());
}

TEST_CASE("fail-safe levels: area override, else safety flag 100 %, else the evening step", "[luminaires]") {
    auto c = demo();
    for (const auto& area : c.areas) {
        auto pct = luminaires::fail_safe_percent(c, area);
        if (area.power_on_level) {
            CHECK(pct.power_on == *area.power_on_level);
            CHECK(pct.system_failure == *area.system_failure_level);
            continue;
        }
        const bool flagged = std::any_of(c.safety_flags.begin(), c.safety_flags.end(),
                                         [&](auto& f) { return f.area == area.id; });
        const double expected = flagged ? 100 : c.find_profile(area.profile)->steps.front().level;
        CHECK(pct.power_on == expected);
        CHECK(pct.system_failure == expected);
    }
    config::Area plain{"x", "X", "villa", "", {}, std::nullopt, std::nullopt};
    c.safety_flags.clear();
    CHECK(luminaires::fail_safe_percent(c, plain).power_on == c.find_profile("villa")->steps.front().level);
    c.safety_flags.push_back(
        config::SafetyFlag{"f", "x", "police", "event", "2026-01-01", "2027-01-01", {}, ""});
    CHECK(luminaires::fail_safe_percent(c, plain).system_failure == 100);
}

TEST_CASE("luminaire state payload follows the MQTT contract", "[luminaires]") {
    config::Luminaire l;
    l.id = "L-001";
    l.area = "torget";
    dali::GearStatus s;
    s.address = 0;
    s.available = true;
    s.level = 200;
    s.percent = dali::percent_from_level(200);
    s.lamp_failure = true;
    auto p = luminaires::state_payload(l, s);
    CHECK(p["level"] == 22.9);
    CHECK(p["target"].is_null());
    CHECK(p["reason"].is_null());
    CHECK(p["available"] == true);
    CHECK(p["lamp_failure"] == true);
    CHECK(p["gear_failure"] == false);
    CHECK(p["area"] == "torget");
    CHECK_FALSE(p.contains("ts"));
    CHECK_FALSE(p.contains("energy_wh"));
    dali::EnergyReading e{0, 1234, 40, 7200, 3};
    auto with = luminaires::state_payload(l, s, &e);
    CHECK(with["energy_wh"] == 1234);
    CHECK(with["power_w"] == 40);
    CHECK(with["operating_h"] == 2);
    CHECK(with["starts"] == 3);
    s.available = false;
    s.percent.reset();
    CHECK(luminaires::state_payload(l, s)["level"].is_null());
}

TEST_CASE("commission report names luminaires", "[luminaires]") {
    auto c = demo();
    auto plan = luminaires::plan_bus(c, "bus1");
    dali::CommissionReport r;
    r.ok = true;
    r.found.push_back({0, 0x00ABCD, 6});
    r.absent = {1};
    r.unexpected = {63};
    auto j = luminaires::commission_report_json("bus1", plan, r,
                                                {{0, true, true, {}}, {1, false, false, "no answer"}});
    CHECK(j["found"][0]["luminaire"] == plan.by_address.at(0)->id);
    CHECK(j["found"][0]["random_address"] == "00ABCD");
    CHECK(j["absent"][0]["luminaire"] == plan.by_address.at(1)->id);
    CHECK(j["unexpected"][0] == 63);
    CHECK(j["fail_safe_changes"].size() == 2);
}
