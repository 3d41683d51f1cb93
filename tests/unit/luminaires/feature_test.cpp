// The feature in-process: real Foxtron transport to an in-process simulator on
// loopback TCP, a recording Uplink instead of MQTT.
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>

#include "drivers/dali/level_curve.hpp"
#include "gateway/luminaires/luminaires_feature.hpp"
#include "lykta-sim/dali/foxtron_server.hpp"
#include "tests/unit/support/recording_uplink.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta;
using namespace std::chrono_literals;

namespace {
using test::RecordingUplink;
using test::run_until;

}  // namespace

TEST_CASE("luminaires feature: sweeps publish state, fail-safe goes in, commission answers", "[luminaires]") {
    asio::io_context io;
    dali::SimBus sim;
    sim.add_gear(2, true);
    dali::FoxtronServer server(io, sim, {});
    const auto port = server.listen_tcp("127.0.0.1", 0);

    config::Config c;
    config::DaliBus bus;
    bus.id = "bus1";
    bus.interface.protocol = "foxtron";
    bus.interface.host = "127.0.0.1";
    bus.interface.port = port;
    c.dali.buses.push_back(bus);
    c.areas.push_back(config::Area{"torget", "Torget", "p", "", {{"bus1", 3}}, 70.0, std::nullopt});
    c.schedule.profiles.push_back(config::Profile{"p", {config::ProfileStep{{}, 30, 0}}, std::nullopt});
    for (int a = 0; a < 2; ++a) {
        config::Luminaire l;
        l.id = "L-" + std::to_string(a);
        l.bus = "bus1";
        l.address = a;
        l.area = "torget";
        c.luminaires.push_back(l);
    }
    RecordingUplink uplink;
    ManualClock clock;
    ManualTimers timers{clock};
    luminaires::LuminairesFeature feature(io, timers, c, uplink, clock);
    REQUIRE(uplink.commands.count("dali/commission"));
    feature.start();

    sim.gear_at(1)->faults.lamp_failure = true;
    REQUIRE(run_until(io, clock, timers, [&] { return uplink.states.count("luminaire/L-1/state") > 0; }));
    CHECK(uplink.states["luminaire/L-1/state"]["lamp_failure"] == true);
    CHECK(uplink.states["luminaire/L-0/state"]["available"] == true);
    CHECK(uplink.states["luminaire/L-0/state"]["ts"] == "1970-01-01T00:00:00Z");
    // Power on from the area (70 %), system failure from the profile's evening step (30 %).
    REQUIRE(run_until(io, clock, timers,
                      [&] { return sim.gear_at(1)->system_failure_level == dali::level_from_percent(30); }));
    CHECK(sim.gear_at(0)->power_on_level == dali::level_from_percent(70));

    std::optional<nlohmann::json> answer;
    uplink.commands["dali/commission"]({{"bus", "bus1"}},
                                       api::Responder([&](nlohmann::json b) { answer = b; }));
    REQUIRE(run_until(io, clock, timers, [&] { return answer.has_value(); }));
    CHECK((*answer)["status"] == "ok");
    CHECK((*answer)["data"]["groups_programmed"] == nlohmann::json::array({0, 1}));
    CHECK(sim.gear_at(0)->groups == 1 << 3);

    // The policy's path: both luminaires (the whole bus) alike is one broadcast DAPC on the wire.
    auto* bus1 = feature.bus("bus1");
    REQUIRE(bus1);
    CHECK(feature.bus("nope") == nullptr);
    std::optional<std::vector<dali::GearStatus>> read_back;
    bus1->apply({{0, 40, 0}, {1, 40, 0}}, [&](auto r) { read_back = r; });
    REQUIRE(run_until(io, clock, timers, [&] { return read_back.has_value(); }));
    const auto before = server.requests();
    std::vector<dali::ForwardFrame> wire;
    server.on_frame = [&](const dali::FrameRecord& r) { wire.push_back(r.frame); };
    read_back.reset();
    bus1->apply({{0, 60, 0}, {1, 60, 0}}, [&](auto r) { read_back = r; });
    REQUIRE(run_until(io, clock, timers, [&] { return read_back.has_value(); }));
    CHECK(bus1->last_apply_frames() == 1);
    CHECK(server.requests() - before == 1 + 2);  // the DAPC + two read-backs
    REQUIRE_FALSE(wire.empty());
    CHECK(wire[0] == dali::dapc(dali::Address::broadcast(), dali::level_from_percent(60)));
    CHECK((*read_back)[1].level == dali::level_from_percent(60));
    CHECK(sim.gear_at(1)->actual_level(sim.now()) == dali::level_from_percent(60));

    answer.reset();
    uplink.commands["dali/commission"]({{"bus", 5}}, api::Responder([&](nlohmann::json b) { answer = b; }));
    REQUIRE(answer);
    CHECK((*answer)["error"]["code"] == "bad_request");

    auto counters = feature.heartbeat_counters();
    CHECK(counters["bus1"]["frames"].get<int>() > 0);
    CHECK(counters["bus1"]["answers"].get<int>() > 0);
    feature.stop();
}

TEST_CASE("luminaires feature: a bus is swept 0.3 s after the start, then every sweep_s", "[luminaires]") {
    asio::io_context io;
    dali::SimBus sim;
    sim.add_gear(1, true);
    dali::FoxtronServer server(io, sim, {});
    config::Config c;
    config::DaliBus bus;
    bus.id = "bus1";
    bus.interface.protocol = "foxtron";
    bus.interface.host = "127.0.0.1";
    bus.interface.port = server.listen_tcp("127.0.0.1", 0);
    c.dali.buses.push_back(bus);  // sweep_s 60, energy reads every 900 s
    c.areas.push_back(config::Area{"torget", "Torget", "p", "", {{"bus1", 3}}, 70.0, std::nullopt});
    c.schedule.profiles.push_back(config::Profile{"p", {config::ProfileStep{{}, 30, 0}}, std::nullopt});
    c.luminaires.push_back(config::Luminaire{"L-0", "bus1", 0, "torget", 40, {}, {}});
    RecordingUplink uplink;
    ManualClock clock;
    ManualTimers timers{clock};
    luminaires::LuminairesFeature feature(io, timers, c, uplink, clock);
    // When each sweep's answers were in. (Whether the first one found the interface
    // connected depends on the machine: virtual time moves when the loop is idle.)
    std::vector<ManualClock::Duration> swept;
    feature.add_status_observer([&](const luminaires::Sweep&) { swept.push_back(clock.elapsed()); });
    feature.start();
    REQUIRE(run_until(io, clock, timers, [&] { return swept.size() == 3; }));
    CHECK(swept[0] == 300ms);
    CHECK(swept[1] == 60300ms);
    CHECK(swept[2] == 120300ms);
    feature.stop();
    CHECK(timers.pending() == 0);
}
