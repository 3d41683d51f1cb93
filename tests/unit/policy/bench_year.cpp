// Benchmark (hidden: run with `unit_policy "[.bench]"`): evaluating 1,024
// luminaires at every transition of a simulated year. Prints numbers, asserts
// nothing about time (ARCHITECTURE.md target: <= 2 s on the gateway).
#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

#include "example_config.hpp"
#include "gateway/policy/arbitration.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;

TEST_CASE("benchmark: 1024 luminaires over a simulated year of transitions", "[.bench]") {
    auto config = example_config();
    // 16 areas of 64 luminaires, alternating the example's profiles; one weekend flag per 4 areas.
    const auto templates = config.areas;
    config.areas.clear();
    config.luminaires.clear();
    for (int a = 0; a < 16; ++a) {
        auto area = templates[static_cast<std::size_t>(a) % templates.size()];
        area.id = "area-" + std::to_string(a);
        config.areas.push_back(area);
        for (int n = 0; n < 64; ++n) {
            config::Luminaire lum;
            lum.id = area.id + "-" + std::to_string(n);
            lum.bus = "bus" + std::to_string(a % 2 + 1);
            lum.address = n;
            lum.area = area.id;
            config.luminaires.push_back(lum);
        }
    }
    auto base_flag = config.safety_flags.front();
    config.safety_flags.clear();
    for (int a = 0; a < 16; a += 4) {
        base_flag.id = "flag-" + std::to_string(a);
        base_flag.area = "area-" + std::to_string(a);
        config.safety_flags.push_back(base_flag);
    }
    auto inputs = PolicyInputs::from_config(config);
    inputs.overrides.push_back({"o1", Scope::luminaire, "area-1-5", 50, 0, std::nullopt, {}, ""});

    const auto start = inputs.place.night_start(day(2025, 1, 1));
    const auto end = inputs.place.night_start(day(2026, 1, 1));
    const auto wall_start = std::chrono::steady_clock::now();
    std::size_t transitions = 0;
    std::size_t decisions = 0;
    double level_sum = 0;  // keeps the work observable
    for (SystemTime t = start; t < end;) {
        const auto all = levels_all(inputs, t);
        decisions += all.size();
        for (double level : all) level_sum += level;
        auto next = next_transition(inputs, t);
        REQUIRE(next);
        t = *next;
        ++transitions;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    std::cout << "policy benchmark: " << config.luminaires.size() << " luminaires, " << transitions
              << " transitions in 2025, " << decisions << " decisions in " << seconds << " s ("
              << seconds / static_cast<double>(transitions) * 1e3 << " ms per transition; level sum "
              << level_sum << ")\n";
    CHECK(decisions == transitions * 1024);

    // The explaining path on a sample of 100 transitions, for comparison.
    const auto explain_start = std::chrono::steady_clock::now();
    SystemTime t = start;
    for (int i = 0; i < 100; ++i) {
        const auto all = decide_all(inputs, t);
        level_sum += all.front().level;
        t = *next_transition(inputs, t);
    }
    const double explain_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - explain_start).count();
    std::cout << "policy benchmark: decide_all (with explanations) " << explain_s / 100 * 1e3
              << " ms per transition for 1024 luminaires\n";
}
