// The policy's view kept per luminaire: what goes in comes out in the state payload.
#include <catch2/catch.hpp>

#include "gateway/luminaires/shown_policy.hpp"

using lykta::luminaires::ShownPolicy;
using nlohmann::json;

TEST_CASE("shown policy gives back the reason it was handed", "[luminaires]") {
    const json reason = {{"source", "safety"},
                         {"id", "station"},
                         {"detail", "flag 'station' (Trygghetsmätning 2021): lit"},
                         {"until", "2025-11-29T06:30:00+01:00"}};
    auto shown = ShownPolicy::from_json(60.0, reason);
    CHECK(shown.target == 60.0);
    CHECK(shown.reason_json() == reason);

    auto open_ended = reason;
    open_ended["until"] = nullptr;
    CHECK(ShownPolicy::from_json(60.0, open_ended).reason_json() == open_ended);
    CHECK(ShownPolicy::from_json(60.0, open_ended) != shown);
    CHECK(ShownPolicy::from_json(60.0, reason) == shown);
    CHECK(ShownPolicy::from_json(50.0, reason) != shown);
}

TEST_CASE("shown policy without a reason shows null", "[luminaires]") {
    auto shown = ShownPolicy::from_json(nullptr, nullptr);
    CHECK(shown.target.is_null());
    CHECK(shown.reason_json().is_null());
    CHECK_FALSE(shown.has_reason);
}
