// Photocell verdicts applied by arbitration: the sensor moves the switching
// instants inside its window, the schedule's meaning (levels, dark nights,
// safety floors) stays, and decide()/decide_all() agree.
#include <catch2/catch.hpp>

#include "example_config.hpp"
#include "gateway/policy/arbitration.hpp"
#include "gateway/policy/solar.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;
using namespace std::chrono_literals;

namespace {

// Villagatan runs `villa`: sunset 80, 22:30 50, 00:00 30, 05:30 80, sunrise 0.
const config::Area& villagatan() {
    const auto* a = example_config().find_area("villagatan");
    REQUIRE(a);
    return *a;
}

AreaPhotocell verdict(bool lit, PhotocellDecision::Basis basis, SystemTime at) {
    AreaPhotocell p;
    p.photocell = "pc1";
    p.verdict.lit = lit;
    p.verdict.basis = basis;
    p.verdict.reason = lit ? "photocell 10 lx in the evening window: lit" : "photocell 500 lx: unlit";
    p.at = at;
    p.until = at + 10min;
    return p;
}

double target_of(const PolicyInputs& in, const std::string& area, SystemTime t) {
    for (const auto& target : decide_all(in, t))
        if (target.area == area) return target.level;
    FAIL("no luminaire in " << area);
    return -1;
}

}  // namespace

TEST_CASE("a dark sensor lights the area before its sunset step, at the night's first lit level",
          "[photocell][arbitration]") {
    auto in = PolicyInputs::from_config(example_config());
    const auto night = day(2025, 11, 27);  // a Thursday, no calendar rule for villagatan
    const auto sunset =
        solar_event(in.place.latitude, in.place.longitude, *in.place.zone, night, SunEvent::sunset);
    REQUIRE(sunset.occurs());
    const auto t = sunset.time - 20min;
    CHECK(decide_area(in, villagatan(), t).level == 0);  // the schedule alone: not yet

    in.photocells["villagatan"] = verdict(true, PhotocellDecision::Basis::sensor, t);
    auto d = decide_area(in, villagatan(), t);
    CHECK(d.level == 80);
    CHECK(d.reason.source == Source::default_profile);
    CHECK_THAT(d.reason.detail, Catch::Contains("photocell 'pc1'") && Catch::Contains("-> 80 %"));
    CHECK(target_of(in, "villagatan", t) == 80);
    // Other areas are not gated.
    CHECK(target_of(in, "torget", t) ==
          decide_area(PolicyInputs::from_config(example_config()), *example_config().find_area("torget"), t)
              .level);
}

TEST_CASE("a bright sensor keeps the area dark after its sunset step", "[photocell][arbitration]") {
    auto in = PolicyInputs::from_config(example_config());
    const auto night = day(2025, 11, 27);
    const auto sunset =
        solar_event(in.place.latitude, in.place.longitude, *in.place.zone, night, SunEvent::sunset);
    const auto t = sunset.time + 10min;
    CHECK(decide_area(in, villagatan(), t).level == 80);
    in.photocells["villagatan"] = verdict(false, PhotocellDecision::Basis::sensor, t);
    auto d = decide_area(in, villagatan(), t);
    CHECK(d.level == 0);
    CHECK_THAT(d.reason.detail, Catch::Contains("-> dark"));
    CHECK(target_of(in, "villagatan", t) == 0);
}

TEST_CASE("a dark morning keeps the last lit level after the sunrise step", "[photocell][arbitration]") {
    auto in = PolicyInputs::from_config(example_config());
    const auto sunrise = solar_event(in.place.latitude, in.place.longitude, *in.place.zone, day(2025, 11, 28),
                                     SunEvent::sunrise);
    const auto t = sunrise.time + 15min;
    CHECK(decide_area(in, villagatan(), t).level == 0);
    in.photocells["villagatan"] = verdict(true, PhotocellDecision::Basis::sensor, t);
    CHECK(decide_area(in, villagatan(), t).level == 80);  // 05:30's level
    CHECK(target_of(in, "villagatan", t) == 80);
}

TEST_CASE("fallback and window verdicts leave the schedule alone; a verdict holds only in its span",
          "[photocell][arbitration]") {
    auto in = PolicyInputs::from_config(example_config());
    const auto sunset = solar_event(in.place.latitude, in.place.longitude, *in.place.zone, day(2025, 11, 27),
                                    SunEvent::sunset);
    const auto t = sunset.time + 10min;
    for (auto basis : {PhotocellDecision::Basis::astro_fallback, PhotocellDecision::Basis::window}) {
        in.photocells["villagatan"] = verdict(false, basis, t);
        auto d = decide_area(in, villagatan(), t);
        CHECK(d.level == 80);
        CHECK_THAT(d.reason.detail, Catch::Contains("the schedule's own steps decide"));
        CHECK(target_of(in, "villagatan", t) == 80);
    }
    in.photocells["villagatan"] = verdict(false, PhotocellDecision::Basis::sensor, t);
    CHECK(decide_area(in, villagatan(), t + 11min).level == 80);  // past `until`: not known there
    CHECK(decide_area(in, villagatan(), t - 1min).level == 80);   // before it was made
    CHECK(decide_area(in, villagatan(), t + 9min).level == 0);
}

TEST_CASE("a safety flag keeps its floor over a sensor that lights early", "[photocell][arbitration]") {
    auto config = example_config();
    config::SafetyFlag flag;
    flag.id = "always";
    flag.area = "villagatan";
    flag.from = "2025-01-01";
    config.safety_flags.push_back(flag);
    auto in = PolicyInputs::from_config(config);
    const auto* area = config.find_area("villagatan");
    const auto sunset = solar_event(in.place.latitude, in.place.longitude, *in.place.zone, day(2025, 11, 27),
                                    SunEvent::sunset);
    const auto t = sunset.time - 20min;  // trygg (civil_dusk) is still dark
    in.photocells["villagatan"] = verdict(true, PhotocellDecision::Basis::sensor, t);
    auto d = decide_area(in, *area, t);
    CHECK(d.reason.source == Source::safety);
    CHECK(d.level == 80);  // lit by the sensor, and trygg's floor is 80
    // A bright sensor after sunset: the schedule is dark, and so is trygg before civil dusk.
    const auto after = sunset.time + 5min;
    in.photocells["villagatan"] = verdict(false, PhotocellDecision::Basis::sensor, after);
    CHECK(decide_area(in, *area, after).level == 0);
    // Once trygg lights at civil dusk, the flag keeps the area lit whatever the sensor says.
    const auto dusk = solar_event(in.place.latitude, in.place.longitude, *in.place.zone, day(2025, 11, 27),
                                  SunEvent::civil_dusk);
    in.photocells["villagatan"] = verdict(false, PhotocellDecision::Basis::sensor, dusk.time + 1min);
    CHECK(decide_area(in, *area, dusk.time + 1min).level == 100);
}
