// Command arguments to policy values: validation with the API's error codes.
#include <catch2/catch.hpp>

#include "example_config.hpp"
#include "gateway/policy/requests.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;
using nlohmann::json;

namespace {

const Place& place() {
    static const Place p = Place::of(example_config().site);
    return p;
}

const SystemTime now = utc(2025, 11, 25, 12, 0);

Parsed<SafetyFlag> flag(const json& args) {
    return safety_flag_from_request(args, example_config(), place(), now, "mqtt-7");
}

Parsed<Override> set(const json& args, Scope scope) {
    return override_from_request(args, scope, example_config(), place(), now, "ovr-3");
}

}  // namespace

TEST_CASE("area/safety arguments become a flag", "[requests]") {
    auto r = flag({{"area", "villagatan"},
                   {"from", "2025-11-28"},
                   {"until", "2026-02-28T23:00:00+01:00"},
                   {"recurrence", {{"weekdays", {"fri..sun"}}, {"from", "21:00"}, {"to", "03:00"}}},
                   {"reason", "assaults reported"},
                   {"source", "Polisen"}});
    REQUIRE(r.ok());
    const auto& f = *r.value;
    CHECK(f.id == "mqtt-7");
    CHECK(f.origin == "mqtt");
    CHECK(f.created == now);
    CHECK(f.from == utc(2025, 11, 27, 23, 0));  // local midnight, CET
    CHECK(f.until == utc(2026, 2, 28, 22, 0));
    REQUIRE(f.recurrence);
    CHECK(f.recurrence->weekdays == config::WeekdaySet{false, false, false, false, true, true, true});
    CHECK(f.recurrence->from_minutes == 21 * 60);
    CHECK(in_force(f, place(), local(place(), 2025, 11, 30, 22, 0)));  // Sunday evening
    const auto j = to_json(f, place());
    CHECK(j["recurrence"]["weekdays"] == json({"fri", "sat", "sun"}));
    CHECK(j["recurrence"]["to"] == "03:00");
    CHECK(j["until"] == "2026-02-28T23:00:00+01:00");
    CHECK(j["profile"].is_null());
}

TEST_CASE("area/safety rejects what the config would reject", "[requests]") {
    auto check = [](const json& args, const std::string& code, const std::string& field) {
        auto r = flag(args);
        INFO(args.dump() << " -> " << r.error.code << " " << r.error.field << ": " << r.error.message);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error.code == code);
        CHECK(r.error.field == field);
    };
    check(json::array(), "bad_request", "");
    check({{"until", "2026-01-01"}}, "bad_request", "area");
    check({{"area", "nowhere"}, {"until", "2026-01-01"}}, "unknown_area", "area");
    check({{"area", "torget"}, {"until", "2026-13-01"}}, "bad_request", "until");
    check({{"area", "torget"}, {"until", "2025-11-24"}}, "out_of_range", "until");
    check({{"area", "torget"}, {"from", "2026-02-01"}, {"until", "2026-01-01"}}, "out_of_range", "until");
    check({{"area", "torget"}}, "bad_request", "until");
    check({{"area", "torget"}, {"until", "2026-01-01"}, {"profile", "nope"}}, "bad_request", "profile");
    check({{"area", "torget"}, {"until", 5}}, "bad_request", "until");
    check({{"area", "torget"}, {"recurrence", {{"from", "25:00"}, {"to", "03:00"}}}}, "bad_request",
          "recurrence.from");
    check(
        {{"area", "torget"}, {"recurrence", {{"weekdays", {"fredag"}}, {"from", "20:00"}, {"to", "03:00"}}}},
        "bad_request", "recurrence.weekdays");
}

TEST_CASE("luminaire/set and area/set become overrides", "[requests]") {
    auto lum =
        set({{"luminaire", "L-003"}, {"level", 42.5}, {"fade_s", 3}, {"duration_s", 600}}, Scope::luminaire);
    REQUIRE(lum.ok());
    CHECK(lum.value->target == "L-003");
    CHECK(lum.value->level == 42.5);
    CHECK(lum.value->until == now + std::chrono::minutes{10});
    auto area = set({{"area", "torget"}, {"level", 0}, {"until", "2025-11-25T18:00:00+01:00"}}, Scope::area);
    REQUIRE(area.ok());
    CHECK(area.value->until == utc(2025, 11, 25, 17, 0));
    auto forever = set({{"area", "torget"}, {"level", 100}}, Scope::area);
    REQUIRE(forever.ok());
    CHECK_FALSE(forever.value->until);
    const auto j = to_json(*area.value, place());
    CHECK(j["scope"] == "area");
    CHECK(j["until"] == "2025-11-25T18:00:00+01:00");
    CHECK(override_expired_event(*area.value, place())["type"] == "override.expired");

    auto code = [](const json& args, Scope scope) { return set(args, scope).error.code; };
    CHECK(code({{"luminaire", "X-1"}, {"level", 5}}, Scope::luminaire) == "unknown_luminaire");
    CHECK(code({{"area", "x"}, {"level", 5}}, Scope::area) == "unknown_area");
    CHECK(code({{"area", "torget"}, {"level", 101}}, Scope::area) == "out_of_range");
    CHECK(code({{"area", "torget"}, {"level", "high"}}, Scope::area) == "bad_request");
    CHECK(code({{"area", "torget"}}, Scope::area) == "bad_request");
    CHECK(code({{"area", "torget"}, {"level", 5}, {"duration_s", 0}}, Scope::area) == "out_of_range");
    CHECK(code({{"area", "torget"}, {"level", 5}, {"duration_s", 60}, {"until", "2025-12-01"}},
               Scope::area) == "bad_request");
    CHECK(code({{"area", "torget"}, {"level", 5}, {"until", "2025-11-25T10:00:00Z"}}, Scope::area) ==
          "out_of_range");
}

TEST_CASE("safety events carry the real transition time and the flag's source", "[requests]") {
    auto f = flag({{"area", "stationen"}, {"until", "2026-01-01"}, {"source", "Polisen"}, {"reason", "r"}});
    REQUIRE(f.ok());
    const SafetyTransition t{"mqtt-7", "stationen", true, utc(2025, 11, 25, 17, 0), false};
    const auto e = safety_event(t, &*f.value, place());
    CHECK(e["type"] == "safety.started");
    CHECK(e["ts"] == "2025-11-25T18:00:00+01:00");
    CHECK(e["source"] == "Polisen");
    const auto gone = safety_event({"old", "torget", false, now, true}, nullptr, place());
    CHECK(gone["type"] == "safety.ended");
    CHECK(gone["removed"] == true);
    CHECK_FALSE(gone.contains("source"));
}
