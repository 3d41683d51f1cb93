// The order of work on a bus that becomes ready (docs/dali.md, "Priorities"):
// group membership first (it decides how every later command is addressed),
// then the inventory and D4i energy reads; a light command goes ahead of the bulk
// reads still waiting. LuminairesFeature, GroupMembershipFeature and
// InventoryFeature over the real Foxtron transport to an in-process simulator on
// loopback TCP; the order is read from the simulator's side of the wire.
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>

#include "drivers/dali/commands.hpp"
#include "gateway/luminaires/group_membership_feature.hpp"
#include "gateway/luminaires/inventory_feature.hpp"
#include "lykta-sim/dali/foxtron_server.hpp"
#include "tests/unit/support/recording_uplink.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta;

namespace {
using test::RecordingUplink;
using test::run_until;

enum class Kind { groups, bulk_start, bulk, dapc, other };

// What a frame on the wire belongs to. Every bulk job (inventory run, energy run)
// starts with DTR1 (the memory bank); READ MEMORY LOCATION is the rest of it.
Kind kind_of(const dali::FrameRecord& r) {
    const auto b = r.frame.address_byte();
    if (b == dali::special::dtr1) return Kind::bulk_start;
    const auto d = dali::decode_address(b);
    if (!d) return Kind::other;
    if (!d->command) return Kind::dapc;
    const auto op = r.frame.data();
    if (op == dali::op::read_memory_location) return Kind::bulk;
    if (op == dali::op::query_groups_0_7 || op == dali::op::query_groups_8_15 ||
        (op >= dali::op::add_to_group && op < dali::op::remove_from_group + 16))
        return Kind::groups;
    return Kind::other;
}

// Twelve luminaires of one area in DALI group 1 (the area), half of them
// left outside the group by another controller; D4i banks and identity in every gear.
struct Rig {
    static constexpr int gear = 12;
    asio::io_context io;
    dali::SimBus sim;
    dali::FoxtronServer server{io, sim, {}};
    config::Config config;
    RecordingUplink uplink;
    ManualClock clock{SystemTime(std::chrono::seconds(1'790'000'000))};
    ManualTimers timers{clock};
    store::Database db{":memory:"};
    std::unique_ptr<luminaires::LuminairesFeature> lum;
    std::unique_ptr<luminaires::GroupMembershipFeature> groups;
    std::unique_ptr<luminaires::InventoryFeature> inventory;
    std::vector<Kind> wire;
    std::optional<std::uint16_t> unverified_at_first_bulk;  // the bus's unverified groups then

    Rig() {
        sim.add_gear(gear, true);
        for (int a = 0; a < gear; ++a) {
            sim.gear_at(a)->groups = a % 2 ? 0 : 1 << 1;
            sim.gear_at(a)->serial = 0x200 + static_cast<std::uint64_t>(a);
            sim.gear_at(a)->energy_wh = 1000 + a;
        }
        config::DaliBus bus;
        bus.id = "bus1";
        bus.interface.protocol = "foxtron";
        bus.interface.host = "127.0.0.1";
        bus.interface.port = server.listen_tcp("127.0.0.1", 0);
        // Energy reads at the default period: the first one is due 5 s (virtual) after the start.
        config.dali.buses.push_back(bus);
        config.dali.group_membership = config::GroupMembership::repair;
        config.areas.push_back(
            config::Area{"torget", "Torget", "p", "", {{"bus1", 1}}, std::nullopt, std::nullopt});
        config.schedule.profiles.push_back(
            config::Profile{"p", {config::ProfileStep{{}, 30, 0}}, std::nullopt});
        for (int a = 0; a < gear; ++a) {
            config::Luminaire l;
            l.id = "L-" + std::to_string(a);
            l.bus = "bus1";
            l.address = a;
            l.area = "torget";
            config.luminaires.push_back(l);
        }
        lum = std::make_unique<luminaires::LuminairesFeature>(io, timers, config, uplink, clock);
        groups = std::make_unique<luminaires::GroupMembershipFeature>(config, *lum, uplink);
        inventory = std::make_unique<luminaires::InventoryFeature>(config, *lum, uplink, db, clock);
        server.on_frame = [this](const dali::FrameRecord& r) {
            const Kind k = kind_of(r);
            if ((k == Kind::bulk_start || k == Kind::bulk) && !unverified_at_first_bulk)
                unverified_at_first_bulk = this->bus().unverified_groups();
            wire.push_back(k);
        };
    }
    ~Rig() {
        server.on_frame = nullptr;
        inventory->stop();
        groups->stop();
        lum->stop();
    }
    dali::Bus& bus() { return *lum->bus("bus1"); }
    std::size_t count(Kind k) const {
        return static_cast<std::size_t>(std::count(wire.begin(), wire.end(), k));
    }
};

}  // namespace

TEST_CASE(
    "bus ready: groups verified before any inventory or energy read, light commands ahead of bulk reads",
    "[luminaires][groups][priorities]") {
    Rig rig;
    rig.lum->start();
    rig.groups->start();
    rig.inventory->start();

    // Bulk reads under way, more of them waiting.
    REQUIRE(run_until(rig.io, rig.clock, rig.timers,
                      [&] { return rig.count(Kind::bulk) > 0 && rig.bus().scheduler().queued() > 0; }));
    // Every group frame (reads, repairs, verifying reads) went out before the first bulk frame,
    // and by then the group was trusted again.
    const auto first_bulk = static_cast<std::size_t>(
        std::find_if(rig.wire.begin(), rig.wire.end(),
                     [](Kind k) { return k == Kind::bulk_start || k == Kind::bulk; }) -
        rig.wire.begin());
    REQUIRE(rig.count(Kind::groups) >= static_cast<std::size_t>(Rig::gear));
    for (std::size_t i = first_bulk; i < rig.wire.size(); ++i) {
        INFO("frame " << i << " after the first bulk frame " << first_bulk);
        CHECK(rig.wire[i] != Kind::groups);
    }
    REQUIRE(rig.unverified_at_first_bulk);
    CHECK(*rig.unverified_at_first_bulk == 0);

    // A light command while bulk reads wait: it goes out after at most the job on the bus
    // (no bulk job starts in between), and as one group frame.
    const std::size_t asked_at = rig.wire.size();
    std::optional<std::vector<dali::GearStatus>> applied;
    std::vector<dali::Target> area;
    for (int a = 0; a < Rig::gear; ++a) area.push_back({a, 80, 0});
    rig.lum->apply("bus1", area, [&](auto s) { applied = std::move(s); });
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return rig.count(Kind::dapc) > 0; }));
    const auto dapc_at = static_cast<std::size_t>(
        std::find(rig.wire.begin() + static_cast<std::ptrdiff_t>(asked_at), rig.wire.end(), Kind::dapc) -
        rig.wire.begin());
    CHECK(std::count(rig.wire.begin() + static_cast<std::ptrdiff_t>(asked_at),
                     rig.wire.begin() + static_cast<std::ptrdiff_t>(dapc_at), Kind::bulk_start) == 0);
    CHECK(rig.count(Kind::dapc) == 1);
    REQUIRE(run_until(rig.io, rig.clock, rig.timers, [&] { return applied.has_value(); }));
    for (int a = 0; a < Rig::gear; ++a) CHECK(rig.sim.gear_at(a)->groups == 1 << 1);

    // And the bulk reads themselves still complete: identity of every gear recorded.
    REQUIRE(
        run_until(rig.io, rig.clock, rig.timers, [&] { return rig.inventory->record("L-11").has_value(); }));
}
