// The group membership feature in-process: LuminairesFeature over the real
// Foxtron transport to an in-process simulator on loopback TCP, a recording
// Uplink instead of MQTT.
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/level_curve.hpp"
#include "gateway/luminaires/group_membership_feature.hpp"
#include "lykta-sim/dali/foxtron_server.hpp"
#include "tests/unit/support/recording_uplink.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta;

namespace {
using test::RecordingUplink;
using test::run_until;

// Three gear in area torget (group 1) and one in villa (group 2). The sim starts
// gear 1 outside group 1 and gear 3 inside it.
struct Rig {
    asio::io_context io;
    dali::SimBus sim;
    dali::FoxtronServer server{io, sim, {}};
    config::Config config;
    RecordingUplink uplink;
    ManualClock clock;
    ManualTimers timers{clock};
    std::unique_ptr<luminaires::LuminairesFeature> lum;
    std::unique_ptr<luminaires::GroupMembershipFeature> groups;

    explicit Rig(config::GroupMembership policy) {
        sim.add_gear(4, true);
        sim.gear_at(0)->groups = 1 << 1;
        sim.gear_at(2)->groups = 1 << 1;
        sim.gear_at(3)->groups = 1 << 1;
        config::DaliBus bus;
        bus.id = "bus1";
        bus.interface.protocol = "foxtron";
        bus.interface.host = "127.0.0.1";
        bus.interface.port = server.listen_tcp("127.0.0.1", 0);
        bus.energy_sweep_s = 3600;
        config.dali.buses.push_back(bus);
        config.dali.group_membership = policy;
        config.areas.push_back(
            config::Area{"torget", "Torget", "p", "", {{"bus1", 1}}, std::nullopt, std::nullopt});
        config.areas.push_back(
            config::Area{"villa", "Villa", "p", "", {{"bus1", 2}}, std::nullopt, std::nullopt});
        config.schedule.profiles.push_back(
            config::Profile{"p", {config::ProfileStep{{}, 30, 0}}, std::nullopt});
        for (int a = 0; a < 4; ++a) {
            config::Luminaire l;
            l.id = "L-" + std::to_string(a);
            l.bus = "bus1";
            l.address = a;
            l.area = a < 3 ? "torget" : "villa";
            config.luminaires.push_back(l);
        }
        lum = std::make_unique<luminaires::LuminairesFeature>(io, timers, config, uplink, clock);
        groups = std::make_unique<luminaires::GroupMembershipFeature>(config, *lum, uplink);
    }
    ~Rig() {
        groups->stop();
        lum->stop();
    }
    dali::Bus& bus() { return *lum->bus("bus1"); }
    std::vector<nlohmann::json> mismatch_events() const {
        std::vector<nlohmann::json> out;
        for (const auto& e : uplink.events)
            if (e["type"] == "dali.group_mismatch") out.push_back(e);
        return out;
    }
    // Sets torget to `percent`; returns the DAPC destinations that went out.
    std::vector<dali::Address> set_torget(double percent) {
        std::vector<dali::Address> to;
        server.on_frame = [&](const dali::FrameRecord& r) {
            if (auto d = dali::decode_address(r.frame.address_byte()); d && !d->command)
                to.push_back(d->address);
        };
        std::optional<std::vector<dali::GearStatus>> done;
        bus().apply({{0, percent, 0}, {1, percent, 0}, {2, percent, 0}},
                    [&](auto s) { done = std::move(s); });
        REQUIRE(run_until(io, clock, timers, [&] { return done.has_value(); }));
        server.on_frame = nullptr;
        return to;
    }
};

}  // namespace

TEST_CASE("group membership: repaired at bus ready, then the area is one group frame",
          "[luminaires][groups]") {
    Rig rig(config::GroupMembership::repair);
    // Before anything was read, no group is trusted.
    CHECK(rig.bus().unverified_groups() == (1 << 1 | 1 << 2));
    rig.lum->start();
    rig.groups->start();
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return rig.mismatch_events().size() == 2; }));
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return rig.bus().unverified_groups() == 0; }));
    CHECK(rig.sim.gear_at(1)->groups == 1 << 1);
    CHECK(rig.sim.gear_at(3)->groups == 1 << 2);
    auto events = rig.mismatch_events();
    CHECK(events[0]["luminaire"] == "L-1");
    CHECK(events[0]["want"] == nlohmann::json::array({1}));
    CHECK(events[0]["have"] == nlohmann::json::array());
    CHECK(events[0]["action"] == "repaired");
    CHECK(events[0]["individually"] == nlohmann::json::array());
    CHECK(events[1]["luminaire"] == "L-3");
    CHECK(events[1]["area"] == "villa");
    CHECK(events[1]["have"] == nlohmann::json::array({1}));
    CHECK(rig.set_torget(60) == std::vector<dali::Address>{dali::Address::group(1)});

    // Checking again finds everything in order: no new events.
    std::optional<std::vector<dali::GroupCheck>> again;
    rig.groups->check("bus1", [&](auto c) { again = std::move(c); });
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return again.has_value(); }));
    CHECK(again->size() == 4);
    CHECK(rig.mismatch_events().size() == 2);
}

TEST_CASE("group membership: report only, the wrong groups go member by member and reach every lamp",
          "[luminaires][groups]") {
    Rig rig(config::GroupMembership::report);
    rig.lum->start();
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return rig.mismatch_events().size() == 2; }));
    CHECK(rig.mismatch_events()[0]["action"] == "reported");
    CHECK(rig.mismatch_events()[0]["individually"] == nlohmann::json::array({1}));
    REQUIRE(run_until(rig.io, rig.clock, rig.timers,
                      [&] { return rig.bus().unverified_groups() == (1 << 1 | 1 << 2); }));
    CHECK(rig.sim.gear_at(1)->groups == 0);  // not ours to change
    const auto villa_level = rig.sim.gear_at(3)->actual_level(rig.sim.now());
    CHECK(rig.set_torget(60) == std::vector<dali::Address>{dali::Address::short_address(0),
                                                           dali::Address::short_address(1),
                                                           dali::Address::short_address(2)});
    for (int a = 0; a < 3; ++a)
        CHECK(rig.sim.gear_at(a)->actual_level(rig.sim.now()) == dali::level_from_percent(60));
    CHECK(rig.sim.gear_at(3)->actual_level(rig.sim.now()) == villa_level);
}

TEST_CASE("group membership: a failed repair keeps the group off, once fixed it comes back",
          "[luminaires][groups]") {
    Rig rig(config::GroupMembership::repair);
    rig.sim.gear_at(1)->faults.groups_locked = true;
    rig.lum->start();
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return rig.mismatch_events().size() == 2; }));
    const auto events = rig.mismatch_events();
    CHECK(events[0]["action"] == "repair_failed");
    CHECK(events[0]["problem"] == "membership did not change");
    CHECK(rig.bus().unverified_groups() == 1 << 1);
    // The lock goes (someone fixed the gear); the next check repairs and trusts the group again.
    rig.sim.gear_at(1)->faults.groups_locked = false;
    std::optional<std::vector<dali::GroupCheck>> again;
    rig.groups->check("bus1", [&](auto c) { again = std::move(c); });
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return again.has_value(); }));
    CHECK(rig.bus().unverified_groups() == 0);
    CHECK(rig.mismatch_events().size() == 3);
    CHECK(rig.mismatch_events()[2]["action"] == "repaired");
}

TEST_CASE("group membership: a gear that missed the check is checked when it answers again",
          "[luminaires][groups]") {
    Rig rig(config::GroupMembership::repair);
    rig.sim.gear_at(1)->faults.missing = true;  // its circuit has no mains at start
    rig.lum->start();
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return rig.mismatch_events().size() == 1; }));
    CHECK(rig.mismatch_events()[0]["luminaire"] == "L-3");
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return rig.bus().unverified_groups() == 0; }));
    CHECK(rig.sim.gear_at(1)->groups == 0);
    rig.sim.gear_at(1)->faults.missing = false;  // mains back: answers the next sweep
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return rig.mismatch_events().size() == 2; }));
    CHECK(rig.mismatch_events()[1]["luminaire"] == "L-1");
    CHECK(rig.mismatch_events()[1]["action"] == "repaired");
    CHECK(rig.sim.gear_at(1)->groups == 1 << 1);
    CHECK(rig.bus().unverified_groups() == 0);
}

TEST_CASE("group membership: trust reads nothing and plans with every group", "[luminaires][groups]") {
    Rig rig(config::GroupMembership::trust);
    CHECK(rig.bus().unverified_groups() == 0);
    rig.lum->start();
    REQUIRE(run_until(rig.io, rig.clock, rig.timers,
                      [&] { return rig.uplink.states.count("luminaire/L-3/state") > 0; }));
    std::size_t group_queries = 0;
    rig.server.on_frame = [&](const dali::FrameRecord& r) {
        const auto d = dali::decode_address(r.frame.address_byte());
        group_queries += d && d->command && r.frame.data() == dali::op::query_groups_0_7;
    };
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return rig.sim.counters().frames > 40; }));
    CHECK(group_queries == 0);
    CHECK(rig.mismatch_events().empty());
}
