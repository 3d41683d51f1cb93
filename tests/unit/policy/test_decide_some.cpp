// Property: decide_some (what a command decides before its frames) gives, for
// every luminaire it is asked about, exactly decide_all's decision, with random
// safety flags, overrides, maintenance and photocell verdicts at random instants
// of a year and random subsets (one luminaire, whole areas, mixed, repeated,
// out of range). The seed is fixed (reproducible) and printed on failure.
#include <catch2/catch.hpp>

#include <random>

#include "example_config.hpp"
#include "gateway/policy/arbitration.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;

namespace {

PolicyInputs random_inputs(const config::Config& config, std::mt19937& rng) {
    auto in = PolicyInputs::from_config(config);
    const auto& place = in.place;
    std::uniform_int_distribution<int> day_of_year(0, 364), minute(0, 1439), coin(0, 1), level(0, 100),
        hours(1, 24 * 30);
    std::uniform_int_distribution<std::size_t> area_pick(0, config.areas.size() - 1),
        lum_pick(0, config.luminaires.size() - 1);
    const auto jan1 = day(2025, 1, 1);
    auto some_instant = [&] { return place.at_local(jan1 + date::days{day_of_year(rng)}, minute(rng)); };
    for (int i = 0; i < 10; ++i) {
        SafetyFlag f;
        f.id = "rnd-flag-" + std::to_string(i);
        f.area = config.areas[area_pick(rng)].id;
        f.from = some_instant();
        f.until = *f.from + std::chrono::hours{hours(rng)};
        if (coin(rng)) {
            config::Recurrence r;
            for (auto& d : r.weekdays) d = coin(rng) == 1;
            r.from_minutes = minute(rng);
            r.to_minutes = minute(rng);
            f.recurrence = r;
        }
        in.flags.push_back(f);
    }
    for (int i = 0; i < 12; ++i) {
        Override o;
        o.id = "rnd-override-" + std::to_string(i);
        o.scope = coin(rng) ? Scope::area : Scope::luminaire;
        o.target =
            o.scope == Scope::area ? config.areas[area_pick(rng)].id : config.luminaires[lum_pick(rng)].id;
        o.level = level(rng);
        o.fade_s = coin(rng) ? 0.0 : 2.5;
        o.created = some_instant();
        if (coin(rng)) o.until = o.created + std::chrono::hours{hours(rng)};
        in.overrides.push_back(o);
    }
    for (int i = 0; i < 4; ++i) {
        Maintenance m;
        m.id = "rnd-maintenance-" + std::to_string(i);
        m.kind = coin(rng) ? Maintenance::Kind::identify : Maintenance::Kind::maintenance;
        m.scope = coin(rng) ? Scope::area : Scope::luminaire;
        m.target =
            m.scope == Scope::area ? config.areas[area_pick(rng)].id : config.luminaires[lum_pick(rng)].id;
        m.level = level(rng);
        m.created = some_instant();
        m.until = m.created + std::chrono::hours{hours(rng)};
        in.maintenance.push_back(m);
    }
    // A sensor verdict on one area from an instant on (photocell_gate.hpp).
    AreaPhotocell verdict;
    verdict.photocell = "rnd-photocell";
    verdict.verdict.lit = coin(rng) == 1;
    verdict.verdict.basis = PhotocellDecision::Basis::sensor;
    verdict.at = some_instant();
    in.photocells[config.areas[area_pick(rng)].id] = verdict;
    return in;
}

std::vector<std::size_t> random_subset(const config::Config& config, std::mt19937& rng) {
    std::uniform_int_distribution<int> kind(0, 3);
    std::uniform_int_distribution<std::size_t> lum_pick(0, config.luminaires.size() - 1),
        area_pick(0, config.areas.size() - 1), count(1, 6);
    std::vector<std::size_t> out;
    switch (kind(rng)) {
        case 0:  // luminaire/set
            out.push_back(lum_pick(rng));
            break;
        case 1: {  // area/set: every luminaire of one area
            const auto& area = config.areas[area_pick(rng)].id;
            for (std::size_t i = 0; i < config.luminaires.size(); ++i)
                if (config.luminaires[i].area == area) out.push_back(i);
            break;
        }
        case 2:  // a few anywhere, possibly repeated, in any order
            for (std::size_t n = count(rng); n > 0; --n) out.push_back(lum_pick(rng));
            break;
        default:  // one out of range among valid ones: skipped
            out = {lum_pick(rng), config.luminaires.size() + 3, lum_pick(rng)};
    }
    return out;
}

void require_same(const Decision& a, const Decision& b) {
    CHECK(a.luminaire == b.luminaire);
    CHECK(a.area == b.area);
    CHECK(a.level == b.level);
    CHECK(a.fade_s == b.fade_s);
    CHECK(a.reason.source == b.reason.source);
    CHECK(a.reason.id == b.reason.id);
    CHECK(a.reason.detail == b.reason.detail);
    CHECK(a.reason.until == b.reason.until);
    REQUIRE(a.stack.size() == b.stack.size());
    for (std::size_t k = 0; k < a.stack.size(); ++k) {
        CHECK(a.stack[k].source == b.stack[k].source);
        CHECK(a.stack[k].applied == b.stack[k].applied);
        CHECK(a.stack[k].active == b.stack[k].active);
        CHECK(a.stack[k].id == b.stack[k].id);
        CHECK(a.stack[k].level == b.stack[k].level);
        CHECK(a.stack[k].detail == b.stack[k].detail);
    }
}

}  // namespace

TEST_CASE("decide_some equals decide_all for the luminaires it is asked about", "[decide_some][property]") {
    const auto& config = example_config();
    REQUIRE(config.luminaires.size() > 1);
    for (unsigned seed : {20261125u, 7u, 424242u}) {
        INFO("seed " << seed);
        std::mt19937 rng(seed);
        const auto in = random_inputs(config, rng);
        std::uniform_int_distribution<int> day_of_year(0, 364), minute(0, 1439);
        int compared = 0;
        for (int probe = 0; probe < 150; ++probe) {
            const auto t = in.place.at_local(day(2025, 1, 1) + date::days{day_of_year(rng)}, minute(rng));
            INFO("at " << in.place.local_datetime(t));
            const auto all = decide_all(in, t);
            const auto subset = random_subset(config, rng);
            const auto some = decide_some(in, subset, t);
            std::size_t k = 0;
            for (auto i : subset) {
                if (i >= all.size()) continue;
                REQUIRE(k < some.size());
                INFO(all[i].luminaire);
                require_same(some[k++], all[i]);
                ++compared;
            }
            CHECK(k == some.size());
        }
        CHECK(compared > 150);
    }
}

TEST_CASE("decide_some of nothing is nothing", "[decide_some]") {
    const auto in = PolicyInputs::from_config(example_config());
    CHECK(decide_some(in, {}, utc(2025, 6, 1, 12, 0)).empty());
}
