// schedule/set documents are validated like the config's schedule sections.
#include "config_test_support.hpp"
#include "gateway/config/schedule_parser.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

namespace {
Config base() {
    auto r = load_with("safety_flags:\n  - { area: torget, profile: centrum }\n");
    REQUIRE(r.ok());
    return *r.config;
}
}  // namespace

TEST_CASE("a valid schedule document in YAML", "[config][schedule]") {
    Config config = base();
    auto r = parse_schedule(R"(profiles:
  centrum: [ { at: "sunset-10m", level: 100 }, { at: "23:00", level: 50, fade_s: 30 } ]
  trygg: { floor: 80, steps: [ { at: civil_dusk, level: 100 } ] }
  fest: [ { at: sunset, level: 100 } ]
holidays:
  rod: ["12-24", "2025-04-18"]
calendar:
  - { name: midsommar, dates: ["06-19..06-21"], areas: [torget], profile: fest }
  - { holidays: [rod], profile: fest }
)",
                            config);
    INFO(dump(r.diagnostics));
    REQUIRE(r.ok());
    CHECK(r.schedule->profiles.size() == 3);
    CHECK(r.schedule->profiles[0].steps[1].fade_s == 30);
    CHECK(r.schedule->calendar.size() == 2);
    CHECK(r.schedule->calendar[1].name == "rule-2");
    CHECK(r.schedule->holidays.at("rod").size() == 2);
}

TEST_CASE("a schedule document in JSON", "[config][schedule]") {
    Config config = base();
    auto r = parse_schedule(
        R"({"profiles": {"centrum": [{"at": "sunset", "level": 100}], "trygg": [{"at": "civil_dusk", "level": 100}]},
 "calendar": [{"weekdays": ["sat", "sun"], "profile": "trygg"}]})",
        config, "schedule/set");
    INFO(dump(r.diagnostics));
    REQUIRE(r.ok());
    CHECK(r.schedule->calendar.at(0).weekdays == WeekdaySet{false, false, false, false, false, true, true});
}

TEST_CASE("schedule documents report errors with positions", "[config][schedule][errors]") {
    Config config = base();
    auto r = parse_schedule(R"(profiles:
  centrum: [ { at: "sunset+10x", level: 100 } ]
calendar:
  - { areas: [hamnen], profile: fest, colour: red }
)",
                            config, "schedule/set");
    REQUIRE_ERROR(r, 2, 20, "profiles.centrum[0].at: bad time expression 'sunset+10x'");
    REQUIRE_ERROR(r, 2, 3, "profiles: profile 'trygg' is missing but area 'torget' uses it");
    REQUIRE_ERROR(r, 4, 15, "calendar[0].areas[0]: unknown area 'hamnen'");
    REQUIRE_ERROR(r, 4, 33, "calendar[0].profile: unknown profile 'fest'");
    REQUIRE_ERROR(r, 4, 39, "calendar[0]: unknown key 'colour'");
    CHECK(r.diagnostics[0].to_string().rfind("schedule/set:", 0) == 0);

    auto flag = parse_schedule("profiles: { trygg: [ { at: sunset, level: 1 } ] }\n", config);
    REQUIRE_ERROR(flag, 1, 11, "profile 'centrum' is missing but safety flag 'cfg-1' uses it");

    auto missing = parse_schedule("calendar: []\n", config);
    REQUIRE_ERROR(missing, 1, 1, "missing required key 'profiles'");
    auto syntax = parse_schedule("{\"profiles\": {", config);
    REQUIRE_FALSE(syntax.ok());
    CHECK(syntax.diagnostics.at(0).message.find("YAML syntax error") == 0);
}
