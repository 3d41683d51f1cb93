#include <catch2/catch.hpp>

#include "gateway/core/rfc3339.hpp"
#include "gateway/faults/faults_feature.hpp"
#include "tests/unit/support/feature_rig.hpp"

using namespace lykta;
using namespace lykta::test;
using namespace std::chrono_literals;

namespace {
using Rig = FeatureRig<faults::FaultsFeature>;
}  // namespace

TEST_CASE("the faults feature registers the fault commands and publishes alarms at start") {
    Rig rig;
    for (auto path : {"faults/list", "faults/ack", "faults/report"})
        CHECK(rig.uplink.commands.count(path) == 1);
    REQUIRE(rig.uplink.states.count("alarms") == 1);
    CHECK(rig.uplink.states["alarms"]["active"].empty());
}

TEST_CASE("a lamp failure in the sweeps is raised, listed, acknowledged and cleared") {
    Rig rig;
    rig.sweep({gear(0, 100, true), gear(1, 100)});
    CHECK(events_of(rig.uplink, "fault.raised").empty());  // debounce: two in a row
    rig.sweep({gear(0, 100, true), gear(1, 100)});
    auto raised = events_of(rig.uplink, "fault.raised");
    REQUIRE(raised.size() == 1);
    CHECK(raised[0]["fault"]["kind"] == "lamp_failure");
    CHECK(raised[0]["fault"]["target"] == "luminaire/L-1");
    CHECK(raised[0]["fault"]["area"] == "torget");
    auto alarms = rig.uplink.states["alarms"]["active"];
    REQUIRE(alarms.size() == 1);
    auto id = alarms[0]["id"].get<std::string>();

    auto list = call(rig.uplink, "faults/list", nlohmann::json::object());
    REQUIRE(list["status"] == "ok");
    REQUIRE(list["data"]["faults"].size() == 1);
    CHECK(list["data"]["faults"][0]["bus"] == "bus1");
    CHECK(list["data"]["faults"][0]["address"] == 0);

    auto ack = call(rig.uplink, "faults/ack", {{"fault", id}, {"by", "Anna"}, {"note", "ladder"}});
    REQUIRE(ack["status"] == "ok");
    REQUIRE(events_of(rig.uplink, "fault.acknowledged").size() == 1);
    CHECK(rig.uplink.states["alarms"]["active"][0]["acknowledged"] == true);

    rig.sweep({gear(0, 100), gear(1, 100)});
    rig.sweep({gear(0, 100), gear(1, 100)});
    auto cleared = events_of(rig.uplink, "fault.cleared");
    REQUIRE(cleared.size() == 1);
    CHECK(cleared[0]["fault"]["id"] == id);
    CHECK(rig.uplink.states["alarms"]["active"].empty());
}

TEST_CASE("without targets from the lighting feature no day_burner or night_outage is judged") {
    Rig rig;
    rig.config.faults.fade_grace_s = 0;  // nothing would hold them back but the unknown target
    rig.restart();
    for (int i = 0; i < 5; ++i) rig.sweep({gear(0, 100), gear(1, 0)});
    CHECK(rig.uplink.events.empty());
    CHECK(rig.uplink.states["alarms"]["active"].empty());
}

TEST_CASE("targets from the lighting feature drive day_burner and night_outage after the fade grace") {
    Rig rig;
    rig.feature->on_targets(rig.clock.now(), {{"L-1", "torget", 0, 0, 0, "schedule"},
                                              {"L-2", "torget", 100, 100, 0, "schedule"}});
    rig.sweep({gear(0, 100), gear(1, 0)});  // 60 s: inside the 120 s grace
    rig.sweep({gear(0, 100), gear(1, 0)});
    CHECK(events_of(rig.uplink, "fault.raised").empty());
    for (int i = 0; i < 3; ++i) rig.sweep({gear(0, 100), gear(1, 0)});
    auto raised = events_of(rig.uplink, "fault.raised");
    REQUIRE(raised.size() == 2);
    std::set<std::string> kinds{raised[0]["fault"]["kind"], raised[1]["fault"]["kind"]};
    CHECK(kinds == std::set<std::string>{"day_burner", "night_outage"});
}

TEST_CASE("a dead bus is one bus fault, not a no_answer per gear") {
    Rig rig;
    for (int i = 0; i < 3; ++i)
        rig.sweep({silent(0, "bus error (power loss)"), silent(1, "bus error (power loss)")}, false);
    auto raised = events_of(rig.uplink, "fault.raised");
    REQUIRE(raised.size() == 1);
    CHECK(raised[0]["fault"]["kind"] == "bus_power");
    CHECK(raised[0]["fault"]["target"] == "bus/bus1");
    CHECK(raised[0]["fault"]["area"].is_null());

    Rig other;
    for (int i = 0; i < 3; ++i)
        other.sweep({silent(0, "bus error (interface)"), silent(1, "no answer")}, false);
    raised = events_of(other.uplink, "fault.raised");
    REQUIRE(raised.size() == 1);
    CHECK(raised[0]["fault"]["kind"] == "interface_down");
}

TEST_CASE("silent gear on a live bus become no_answer faults") {
    Rig rig;
    for (int i = 0; i < 3; ++i) rig.sweep({silent(0, "no answer"), gear(1, 50)});
    auto raised = events_of(rig.uplink, "fault.raised");
    REQUIRE(raised.size() == 1);
    CHECK(raised[0]["fault"]["kind"] == "no_answer");
    CHECK(raised[0]["fault"]["target"] == "luminaire/L-1");
}

TEST_CASE("meter status gives door_open and meter_offline faults") {
    Rig rig;
    cabinet::MeterStatus io{"io1", {"torget"}, true, true, {}, {}, {}, {}, {}, {}};
    for (int i = 0; i < 2; ++i) {
        rig.clock.advance(10s);
        io.ts = rig.clock.now();
        rig.feature->on_status(io);
    }
    auto raised = events_of(rig.uplink, "fault.raised");
    REQUIRE(raised.size() == 1);
    CHECK(raised[0]["fault"]["kind"] == "door_open");
    CHECK(raised[0]["fault"]["target"] == "cabinet/io1");
    CHECK(raised[0]["fault"]["severity"] == "minor");

    // A safety flag in the area escalates it and republishes P/alarms.
    rig.feature->on_safety(rig.clock.now(), "torget", true);
    CHECK(rig.uplink.states["alarms"]["active"][0]["severity"] == "major");

    io.door_open = false;
    for (int i = 0; i < 2; ++i) rig.feature->on_status(io);
    REQUIRE(events_of(rig.uplink, "fault.cleared").size() == 1);

    io.available = false;
    for (int i = 0; i < 3; ++i) rig.feature->on_status(io);
    raised = events_of(rig.uplink, "fault.raised");
    REQUIRE(raised.size() == 2);
    CHECK(raised[1]["fault"]["kind"] == "meter_offline");
}

TEST_CASE("metered power far from the read-back expectation is an energy anomaly") {
    Rig rig;
    rig.sweep({gear(0, 100), gear(1, 100)});  // 40 W + 60 W expected
    cabinet::MeterStatus meter{"m1", {"torget"}, true, {}, {}, {}, {}, 400.0, {}, rig.clock.now()};
    for (int i = 0; i < 5; ++i) rig.feature->on_status(meter);
    auto raised = events_of(rig.uplink, "fault.raised");
    REQUIRE(raised.size() == 1);
    CHECK(raised[0]["fault"]["kind"] == "energy_anomaly");
    CHECK(raised[0]["fault"]["target"] == "meter/m1");
}

TEST_CASE("a fault raised before a restart is the same fault after it") {
    Rig rig;
    rig.sweep({gear(0, 100, true), gear(1, 100)});
    rig.sweep({gear(0, 100, true), gear(1, 100)});
    auto before = rig.uplink.states["alarms"]["active"];
    REQUIRE(before.size() == 1);

    rig.restart();
    auto after = rig.uplink.states["alarms"]["active"];
    REQUIRE(after.size() == 1);
    CHECK(after[0]["id"] == before[0]["id"]);
    CHECK(after[0]["since"] == before[0]["since"]);
    // Still failing after the restart: not raised a second time.
    rig.sweep({gear(0, 100, true), gear(1, 100)});
    rig.sweep({gear(0, 100, true), gear(1, 100)});
    CHECK(events_of(rig.uplink, "fault.raised").empty());
    // And it clears as that same fault.
    rig.sweep({gear(0, 100), gear(1, 100)});
    rig.sweep({gear(0, 100), gear(1, 100)});
    auto cleared = events_of(rig.uplink, "fault.cleared");
    REQUIRE(cleared.size() == 1);
    CHECK(cleared[0]["fault"]["id"] == before[0]["id"]);
}

TEST_CASE("a reload without a luminaire retires its faults and keeps the others") {
    Rig rig;
    rig.sweep({gear(0, 100, true), gear(1, 100, true)});
    rig.sweep({gear(0, 100, true), gear(1, 100, true)});
    auto before = rig.uplink.states["alarms"]["active"];
    REQUIRE(before.size() == 2);
    std::map<std::string, std::string> ids;  // target → id
    for (const auto& f : before) ids[f["target"]] = f["id"];

    // SIGHUP restarts the daemon with the new config: L-1 is gone.
    rig.config.luminaires.erase(rig.config.luminaires.begin());
    rig.restart();
    auto cleared = events_of(rig.uplink, "fault.cleared");
    REQUIRE(cleared.size() == 1);
    CHECK(cleared[0]["fault"]["id"] == ids["luminaire/L-1"]);
    CHECK(cleared[0]["reason"] == "removed from the configuration");
    auto after = rig.uplink.states["alarms"]["active"];
    REQUIRE(after.size() == 1);
    CHECK(after[0]["id"] == ids["luminaire/L-2"]);

    auto list = call(rig.uplink, "faults/list", {{"active_only", false}});
    REQUIRE(list["status"] == "ok");
    auto retired = std::find_if(list["data"]["faults"].begin(), list["data"]["faults"].end(),
                                [&](const auto& f) { return f["id"] == ids["luminaire/L-1"]; });
    REQUIRE(retired != list["data"]["faults"].end());
    CHECK((*retired)["cleared_reason"] == "removed from the configuration");
    CHECK_FALSE((*retired)["cleared"].is_null());

    // A second start with the same config retires nothing more.
    rig.restart();
    CHECK(events_of(rig.uplink, "fault.cleared").empty());
    CHECK(rig.uplink.states["alarms"]["active"].size() == 1);
}

TEST_CASE("listeners hear stored raises and repairs, not retirements") {
    Rig rig;
    std::vector<std::string> heard;
    auto listen = [&] {
        rig.feature->add_listener(
            {[&](const faults::Fault& f) { heard.push_back("raised " + f.target + " in " + f.area); },
             [&](const faults::Fault& f) {
                 REQUIRE(f.cleared_at);
                 heard.push_back("repaired " + f.target + " after " +
                                 std::to_string((*f.cleared_at - f.since) / 1s) + " s");
             }});
    };
    listen();
    rig.sweep({gear(0, 100, true), gear(1, 100, true)});
    rig.sweep({gear(0, 100, true), gear(1, 100, true)});
    CHECK(heard ==
          std::vector<std::string>{"raised luminaire/L-1 in torget", "raised luminaire/L-2 in torget"});
    rig.sweep({gear(0, 100), gear(1, 100, true)});
    rig.sweep({gear(0, 100), gear(1, 100, true)});
    REQUIRE(heard.size() == 3);
    CHECK(heard[2] == "repaired luminaire/L-1 after 120 s");

    // L-2 leaves the config: its fault is retired at start, which is no repair.
    rig.config.luminaires.pop_back();
    rig.feature->stop();
    rig.feature.reset();
    heard.clear();
    rig.feature =
        std::make_unique<faults::FaultsFeature>(rig.timers, rig.config, rig.uplink, *rig.db, rig.clock);
    listen();
    rig.feature->start();
    REQUIRE(events_of(rig.uplink, "fault.cleared").size() == 2);  // L-1's repair, L-2's retirement
    CHECK(heard.empty());
}

TEST_CASE("a held fault write is retried by the faults feature's own timer every flush_s") {
    Rig rig;                                // statistics.flush_s: 300, the held-writes period
    rig.db->exec("PRAGMA query_only = 1");  // refused without the failure listener: no storage_failure
    rig.sweep({gear(0, 100, true), gear(1, 100)});
    rig.sweep({gear(0, 100, true), gear(1, 100)});  // raised in memory, the write held
    REQUIRE(rig.feature->book().held() == 1);
    CHECK(events_of(rig.uplink, "fault.raised").empty());
    CHECK_FALSE(rig.feature->storage().fault());
    rig.db->exec("PRAGMA query_only = 0");
    rig.clock.advance(300s - 120s - 1ms);  // the job's first run: 300 s after start
    CHECK(rig.feature->book().held() == 1);
    rig.clock.advance(1ms);
    CHECK(rig.feature->book().held() == 0);
    CHECK(events_of(rig.uplink, "fault.raised").size() == 1);
}
