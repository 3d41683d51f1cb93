// The levels-only pass (levels_all, no texts: the statistics' normal levels)
// decides exactly as decide_all does; both are loops over resolve().
#include <catch2/catch.hpp>

#include "example_config.hpp"
#include "gateway/policy/arbitration.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;

TEST_CASE("levels_all agrees with decide_all at every transition of three weeks", "[levels_all]") {
    auto in = PolicyInputs::from_config(example_config());
    const auto& p = in.place;
    const auto t0 = local(p, 2025, 12, 15, 12, 0);  // into the Christmas calendar range
    in.overrides.push_back({"a", Scope::area, "villagatan", 35, 4, t0 + std::chrono::hours{30}, t0, ""});
    in.overrides.push_back({"l", Scope::luminaire, "V-03", 90, 0, t0 + std::chrono::hours{50}, t0, ""});
    in.overrides.push_back({"l2", Scope::luminaire, "V-03", 10, 0, t0 + std::chrono::hours{20},
                            t0 + std::chrono::hours{1}, ""});  // newer: wins while it lasts
    in.maintenance.push_back({"m", Maintenance::Kind::maintenance, Scope::area, "hamnpromenaden", 100,
                              t0 + std::chrono::hours{8}, t0, ""});
    int compared = 0;
    for (SystemTime t = t0; t < t0 + std::chrono::hours{24 * 21};) {
        const auto fast = levels_all(in, t);
        const auto full = decide_all(in, t);
        REQUIRE(fast.size() == full.size());
        for (std::size_t i = 0; i < fast.size(); ++i) {
            INFO(full[i].luminaire << " at " << p.local_datetime(t));
            CHECK(full[i].luminaire == in.config->luminaires[i].id);
            CHECK(fast[i] == full[i].level);
            // Each of them equals the explaining path, one luminaire at a time.
            const auto explained = decide(in, in.config->luminaires[i], t);
            CHECK(explained.level == full[i].level);
            CHECK(explained.fade_s == full[i].fade_s);
            CHECK(explained.reason.source == full[i].reason.source);
            CHECK(explained.reason.id == full[i].reason.id);
            CHECK(explained.reason.detail == full[i].reason.detail);
            CHECK(explained.reason.until == full[i].reason.until);
            CHECK(full[i].stack.empty());
            ++compared;
        }
        t = *next_transition(in, t);
    }
    CHECK(compared > 1000);
    // V-03 between hour 1 and 20: the newer luminaire override.
    const auto at5 = decide_all(in, t0 + std::chrono::hours{5});
    const auto v03 =
        std::find_if(at5.begin(), at5.end(), [](const Decision& x) { return x.luminaire == "V-03"; });
    REQUIRE(v03 != at5.end());
    CHECK(v03->reason.id == "l2");
}
