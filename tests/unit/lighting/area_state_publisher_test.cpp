// The area-state publisher on its own: each area's luminaires and buses are
// known from the config, every publication builds one payload per area, and
// only a changed one goes out.
#include <catch2/catch.hpp>

#include <set>

#include "gateway/config/loader.hpp"
#include "gateway/lighting/area_state_publisher.hpp"
#include "tests/unit/lighting/rig.hpp"
#include "tests/unit/support/recording_uplink.hpp"

using namespace lykta;
using namespace std::chrono_literals;
using lykta::test::utc;

namespace {

config::Config two_areas() {
    auto result = config::load_string(R"(version: 1
gateway: { id: gw }
site: { latitude: 56.43, longitude: 12.85, timezone: Europe/Stockholm }
dali:
  buses:
    - { id: bus1, interface: "foxtron://127.0.0.1:1" }
    - { id: bus2, interface: "foxtron://127.0.0.1:2" }
luminaires:
  - { id: T-1, bus: bus1, address: 0, area: torget }
  - { id: P-1, bus: bus1, address: 1, area: park }
  - { id: T-2, bus: bus2, address: 0, area: torget }
  - { id: T-3, bus: bus2, address: 1, area: torget }
areas:
  - { id: torget, profile: p }
  - { id: park, profile: p }
profiles:
  p: [{ at: "18:00", level: 80 }, { at: "06:00", level: 0 }]
)");
    for (const auto& d : result.diagnostics) FAIL(d.to_string());
    REQUIRE(result.ok());
    return *result.config;
}

dali::GearStatus answer(int address, bool lamp_failure = false) {
    dali::GearStatus s;
    s.address = address;
    s.available = true;
    s.percent = 80;
    s.lamp_failure = lamp_failure;
    return s;
}

}  // namespace

TEST_CASE("area state: one payload per area and publication, sent only when it changed",
          "[lighting][area_state]") {
    const auto config = two_areas();
    const auto inputs = policy::PolicyInputs::from_config(config);
    test::RecordingUplink uplink;
    std::set<std::string> down;
    lighting::AreaStatePublisher publisher(config, uplink,
                                           [&](const std::string& bus) { return down.count(bus) > 0; });

    publisher.publish(inputs, utc(20));
    CHECK(publisher.built() == 2);
    auto torget = uplink.states.at("area/torget/state");
    CHECK(torget["luminaires"] == 3);  // from both buses, interleaved with the park's
    CHECK(torget["failed"] == 0);
    CHECK(torget["level"] == 80.0);
    CHECK(torget["mode"] == "schedule");
    CHECK(uplink.states.at("area/park/state")["luminaires"] == 1);

    publisher.publish(inputs, utc(20, 5));  // nothing changed: built, not sent (ts stays)
    CHECK(publisher.built() == 4);
    CHECK(uplink.states.at("area/torget/state")["ts"] == torget["ts"]);

    // The luminaires room's verdicts: a lamp failure on bus2 and a silent gear on bus1.
    const auto& bus1 = config.dali.buses[0];
    const auto& bus2 = config.dali.buses[1];
    dali::GearStatus silent;
    silent.address = 1;  // P-1
    silent.problem = "no answer";
    publisher.take(luminaires::make_sweep(config, bus2, {answer(0), answer(1, true)}, true));
    publisher.take(luminaires::make_sweep(config, bus1, {answer(0), silent}, true));
    const std::set<std::string> only{"torget"};
    publisher.publish(inputs, utc(20, 6), &only);
    CHECK(publisher.built() == 5);  // the park was not built
    CHECK(uplink.states.at("area/torget/state")["failed"] == 1);
    CHECK(uplink.states.at("area/torget/state")["ts"] != torget["ts"]);
    CHECK(uplink.states.at("area/park/state")["failed"] == 0);  // not published since
    publisher.publish(inputs, utc(20, 7));
    CHECK(uplink.states.at("area/park/state")["failed"] == 1);

    // Fail-safe only when every bus of the area is known down.
    down = {"bus2"};
    publisher.publish(inputs, utc(20, 8));
    CHECK(uplink.states.at("area/torget/state")["mode"] == "schedule");
    down = {"bus1", "bus2"};
    publisher.publish(inputs, utc(20, 9));
    CHECK(uplink.states.at("area/torget/state")["mode"] == "failsafe");
    CHECK(uplink.states.at("area/park/state")["mode"] == "failsafe");
}
