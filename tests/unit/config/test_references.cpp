// Duplicate ids, dangling references, shared addresses and groups.
#include "config_test_support.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

namespace {
// Lines 1..3 are the same in every case below.
const std::string head =
    "version: 1\n"
    "gateway: { id: g }\n"
    "site: { latitude: 0, longitude: 0, timezone: UTC }\n";
}  // namespace

TEST_CASE("duplicate ids for every kind of entry", "[config][errors]") {
    auto r = load_string(head + R"(dali:
  buses:
    - { id: bus1, interface: "foxtron://127.0.0.1:1" }
    - { id: bus1, interface: "foxtron://127.0.0.1:2" }
areas:
  - { id: a, profile: p }
  - { id: a, profile: p }
profiles:
  p: [ { at: sunset, level: 100 } ]
  p: [ { at: sunset, level: 50 } ]
luminaires:
  - { id: L-1, bus: bus1, address: 0, area: a }
  - { id: L-1, bus: bus1, address: 1, area: a }
modbus:
  networks:
    - { id: n, type: tcp, host: h }
    - { id: n, type: tcp, host: h }
  devices:
    - { id: m, network: n, unit: 1, template: sdm630 }
    - { id: m, network: n, unit: 2, template: sdm630 }
safety_flags:
  - { id: f, area: a, profile: p }
  - { id: f, area: a, profile: p }
)",
                         "d.yaml");
    REQUIRE_ERROR(r, 7, 13, "dali.buses[1].id: duplicate bus id 'bus1' (first at line 6)");
    REQUIRE_ERROR(r, 10, 11, "areas[1].id: duplicate area id 'a' (first at line 9)");
    REQUIRE_ERROR(r, 13, 3, "profiles: duplicate profile 'p' (first at line 12)");
    REQUIRE_ERROR(r, 16, 11, "luminaires[1].id: duplicate luminaire id 'L-1' (first at line 15)");
    REQUIRE_ERROR(r, 20, 13, "modbus.networks[1].id: duplicate network id 'n' (first at line 19)");
    REQUIRE_ERROR(r, 23, 13, "modbus.devices[1].id: duplicate device id 'm' (first at line 22)");
    REQUIRE_ERROR(r, 26, 11, "safety_flags[1].id: duplicate safety flag id 'f' (first at line 25)");
}

TEST_CASE("dangling references suggest the closest existing id", "[config][errors]") {
    auto r = load_string(head + R"(dali:
  buses: [ { id: bus1, interface: "foxtron://127.0.0.1:1" } ]
areas:
  - { id: torget, profile: centrm, safety_profile: tryg, dali_groups: { bus2: 1 } }
profiles:
  centrum: [ { at: sunset, level: 100 } ]
luminaires:
  - { id: L-1, bus: bus9, address: 0, area: torgett }
holidays:
  rod: ["12-24"]
calendar:
  - { holidays: [red], areas: [torgt], profile: nope }
safety_flags:
  - { area: hamnen, profile: trygg }
modbus:
  networks: [ { id: cab, type: tcp, host: h } ]
  devices: [ { id: m, network: kab, unit: 1, template: sdm630, areas: [villa] } ]
)",
                         "r.yaml");
    REQUIRE_ERROR(r, 7, 28, "areas[0].profile: unknown profile 'centrm' (did you mean 'centrum'?)");
    REQUIRE_ERROR(r, 7, 52, "areas[0].safety_profile: unknown profile 'tryg'");
    REQUIRE_ERROR(r, 7, 73, "areas[0].dali_groups.bus2: unknown bus 'bus2' (did you mean 'bus1'?)");
    REQUIRE_ERROR(r, 11, 21, "luminaires[0].bus: unknown bus 'bus9' (did you mean 'bus1'?)");
    REQUIRE_ERROR(r, 11, 45, "luminaires[0].area: unknown area 'torgett' (did you mean 'torget'?)");
    REQUIRE_ERROR(r, 15, 18, "calendar[0].holidays[0]: unknown holiday list 'red' (did you mean 'rod'?)");
    REQUIRE_ERROR(r, 15, 32, "calendar[0].areas[0]: unknown area 'torgt' (did you mean 'torget'?)");
    REQUIRE_ERROR(r, 15, 49, "calendar[0].profile: unknown profile 'nope'");
    REQUIRE_ERROR(r, 17, 13, "safety_flags[0].area: unknown area 'hamnen'");
    REQUIRE_ERROR(r, 17, 30, "safety_flags[0].profile: unknown profile 'trygg'");
    REQUIRE_ERROR(r, 20, 32, "modbus.devices[0].network: unknown network 'kab' (did you mean 'cab'?)");
    REQUIRE_ERROR(r, 20, 72, "modbus.devices[0].areas[0]: unknown area 'villa'");
}

TEST_CASE("a flag on an area without a safety profile needs its own profile", "[config][errors]") {
    auto own = load_string(head + R"(areas:
  - { id: hamn, profile: p }
profiles:
  p: [ { at: sunset, level: 100 } ]
safety_flags:
  - { area: hamn }
)",
                           "f.yaml");
    REQUIRE_ERROR(own, 9, 5, "safety_flags[0]: area 'hamn' has no safety_profile; give the flag a profile");
}

TEST_CASE("one short address per bus, one group number per bus", "[config][errors]") {
    auto r = load_string(head + R"(dali:
  buses:
    - { id: bus1, interface: "foxtron://127.0.0.1:1" }
    - { id: bus2, interface: "foxtron://127.0.0.1:2" }
areas:
  - { id: a, profile: p, dali_groups: { bus1: 1, bus2: 1 } }
  - { id: b, profile: p, dali_groups: { bus1: 1 } }
profiles:
  p: [ { at: sunset, level: 100 } ]
luminaires:
  - { id: L-1, bus: bus1, address: 5, area: a }
  - { id: L-2, bus: bus2, address: 5, area: a }
  - { id: L-3, bus: bus1, address: 5, area: b }
)",
                         "a.yaml");
    REQUIRE_ERROR(r, 10, 47, "areas[1].dali_groups.bus1: group 1 on bus 'bus1' is already used by area 'a'");
    REQUIRE_ERROR(
        r, 16, 36,
        "luminaires[2].address: short address 5 on bus 'bus1' is already used by luminaire 'L-1' (line 14)");
    INFO(dump(r.diagnostics));
    CHECK(r.diagnostics.size() == 2);  // the same address on another bus is fine
}
