// The explain JSON: reason, until, and the full layer stack.
#include <catch2/catch.hpp>

#include "example_config.hpp"
#include "gateway/core/rfc3339.hpp"
#include "gateway/policy/arbitration.hpp"
#include "gateway/policy/policy_json.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;

TEST_CASE("explain shows every layer, the one that applied, and until when", "[explain]") {
    auto in = PolicyInputs::from_config(example_config());
    const auto t = local(in.place, 2025, 11, 28, 23, 0);  // Friday, the station's flag in force
    in.overrides.push_back(
        {"o-h", Scope::area, "hamnpromenaden", 25, 2, t + std::chrono::hours{2}, t, "concert"});
    const auto station = to_json(decide(in, *example_config().find_luminaire("S-03"), t), in.place);
    CHECK(station["luminaire"] == "S-03");
    CHECK(station["area"] == "stationen");
    CHECK(station["level"] == 100.0);
    CHECK(station["reason"]["source"] == "safety");
    CHECK(station["reason"]["id"] == "stationen-helg");
    CHECK(station["reason"]["until"] == "2025-11-29T00:30:00+01:00");
    REQUIRE(station["stack"].size() == 5);
    std::vector<std::string> sources;
    int applied = 0;
    for (const auto& layer : station["stack"]) {
        sources.push_back(layer["source"]);
        applied += layer["applied"].get<bool>() ? 1 : 0;
    }
    CHECK(sources == std::vector<std::string>{"maintenance", "override", "safety", "schedule", "default"});
    CHECK(applied == 1);
    CHECK(station["stack"][2]["detail"].get<std::string>().find("Trygghetsmätning 2021") !=
          std::string::npos);
    CHECK(station["stack"][4]["level"] == 70.0);

    const auto harbour = to_json(decide(in, *example_config().find_luminaire("H-01"), t), in.place);
    CHECK(harbour["reason"]["source"] == "override");
    CHECK(harbour["reason"]["until"] == "2025-11-29T01:00:00+01:00");
    CHECK(harbour["fade_s"] == 2.0);
    CHECK(harbour["stack"][1]["applied"] == true);
    CHECK(harbour["stack"][4]["active"] == true);  // the default profile still runs underneath
}

TEST_CASE("explain timestamps carry the local offset, also across the DST change", "[explain]") {
    const Place place = Place::of(bastad_site);
    CHECK(rfc3339_local(utc(2025, 3, 30, 0, 30), place) == "2025-03-30T01:30:00+01:00");
    CHECK(rfc3339_local(utc(2025, 3, 30, 1, 30), place) == "2025-03-30T03:30:00+02:00");
    CHECK(rfc3339_utc(utc(2025, 3, 30, 1, 30)) == "2025-03-30T01:30:00Z");
}
