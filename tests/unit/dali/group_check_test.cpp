// Group membership check and repair: simulated gear behind the real Foxtron
// transport on loopback TCP, through the real scheduler; and the planner only
// using groups the bus trusts.
#include <asio/io_context.hpp>
#include <bit>
#include <catch2/catch.hpp>

#include "drivers/dali/bus.hpp"
#include "drivers/dali/commands.hpp"
#include "drivers/dali/foxtron_transport.hpp"
#include "drivers/dali/group_check.hpp"
#include "lykta-sim/dali/foxtron_server.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta::dali;
using lykta::test::run_until;

namespace {

struct Rig {
    asio::io_context io;
    SimBus sim;
    FoxtronServer server{io, sim, {}};
    std::unique_ptr<Bus> bus;
    std::vector<FrameRecord> wire;

    // Four gear at 0..3; the config wants 0, 1 in group 1, 2 in group 2, 3 in none, and 9 (absent) in 1.
    Rig() {
        sim.add_gear(4, true);
        BusLayout layout;
        layout.addresses = {0, 1, 2, 3, 9};
        layout.groups[1] = {0, 1, 9};
        layout.groups[2] = {2};
        const auto port = server.listen_tcp("127.0.0.1", 0);
        bus = std::make_unique<Bus>(
            io, "bus1", std::make_unique<FoxtronTransport>(io, StreamEndpoint{"127.0.0.1", port, {}}),
            std::move(layout));
        bus->start();
        REQUIRE(run_until(io, [&] { return static_cast<FoxtronTransport&>(bus->transport()).connected(); }));
        server.on_frame = [this](const FrameRecord& r) { wire.push_back(r); };
    }
    ~Rig() { bus->stop(); }
    std::vector<GroupWant> wanted() const {
        std::vector<GroupWant> w;
        for (int a : bus->layout().addresses) w.push_back({a, bus->layout().groups_of(a)});
        return w;
    }
    std::vector<GroupCheck> check(bool repair) {
        std::optional<std::vector<GroupCheck>> got;
        check_group_membership(*bus, wanted(), repair, 0xFFFF,
                               [&](std::vector<GroupCheck> v) { got = std::move(v); });
        REQUIRE(run_until(io, [&] { return got.has_value(); }));
        return *got;
    }
    void wrong_groups() {
        sim.gear_at(0)->groups = 1 << 1;            // as configured
        sim.gear_at(1)->groups = 0;                 // missing from group 1
        sim.gear_at(2)->groups = 1 << 1;            // in the other area's group instead of 2
        sim.gear_at(3)->groups = 1 << 5 | 1 << 15;  // in groups nobody configured
    }
};

}  // namespace

TEST_CASE("group check: reads membership, repairs what differs, verifies", "[dali][groups]") {
    Rig rig;
    rig.wrong_groups();
    const auto checks = rig.check(true);
    REQUIRE(checks.size() == 5);
    CHECK(checks[0].verified());
    CHECK_FALSE(checks[0].written);
    for (int i = 1; i <= 3; ++i) {
        INFO("address " << i);
        CHECK(checks[i].answered);
        CHECK(checks[i].written);
        CHECK(checks[i].verified());
        CHECK(checks[i].unsafe_groups() == 0);
    }
    CHECK(checks[2].before == (1 << 1));
    CHECK(checks[3].before == (1 << 5 | 1 << 15));
    CHECK(rig.sim.gear_at(1)->groups == 1 << 1);
    CHECK(rig.sim.gear_at(2)->groups == 1 << 2);
    CHECK(rig.sim.gear_at(3)->groups == 0);
    // The absent gear: nothing learnt, and no group frame or short frame would reach it anyway.
    CHECK_FALSE(checks[4].answered);
    CHECK_FALSE(checks[4].verified());
    CHECK(checks[4].unsafe_groups() == 0);
    CHECK(checks[4].problem == "no answer");
    // Group changes are configuration commands: every one went out twice.
    std::size_t writes = 0;
    for (const auto& f : rig.wire)
        if (auto d = decode_address(f.frame.address_byte()); d && d->command &&
                                                             f.frame.data() >= op::add_to_group &&
                                                             f.frame.data() < op::remove_from_group + 16) {
            CHECK(f.options.send_twice);
            ++writes;
        }
    CHECK(writes == 1 + 2 + 2);

    // A second check finds nothing to do and writes nothing.
    rig.wire.clear();
    for (const auto& c : rig.check(true)) CHECK_FALSE(c.written);
    for (const auto& f : rig.wire) CHECK_FALSE(f.options.send_twice);
}

TEST_CASE("group check: report only writes nothing, the differences are unsafe", "[dali][groups]") {
    Rig rig;
    rig.wrong_groups();
    const auto checks = rig.check(false);
    for (const auto& f : rig.wire) CHECK_FALSE(f.options.send_twice);
    CHECK(rig.sim.gear_at(1)->groups == 0);
    CHECK(checks[0].unsafe_groups() == 0);
    CHECK(checks[1].unsafe_groups() == 1 << 1);
    CHECK(checks[2].unsafe_groups() == (1 << 1 | 1 << 2));
    CHECK(checks[3].unsafe_groups() == (1 << 5 | 1 << 15));
}

TEST_CASE("group check: a gear that ignores group changes fails its repair", "[dali][groups]") {
    Rig rig;
    rig.wrong_groups();
    rig.sim.gear_at(1)->faults.groups_locked = true;
    const auto checks = rig.check(true);
    CHECK(checks[1].written);
    CHECK_FALSE(checks[1].verified());
    CHECK(checks[1].problem == "membership did not change");
    CHECK(checks[1].unsafe_groups() == 1 << 1);
    CHECK(checks[2].verified());
}

TEST_CASE("group check: repairs go out in short jobs, actuation gets the bus in between", "[dali][groups]") {
    Rig rig;
    rig.sim.gear_at(3)->groups = 0x00FF;  // eight groups to remove: more than one job's worth
    const auto jobs_before = rig.bus->counters().jobs;
    std::optional<std::vector<GroupCheck>> got;
    check_group_membership(*rig.bus, {{3, 0}}, true, 0xFFFF,
                           [&](std::vector<GroupCheck> v) { got = std::move(v); });
    // The read is on the bus; a light command arrives and must not wait for all eight writes.
    std::optional<std::size_t> removed_when_dapc_done;
    REQUIRE(run_until(rig.io, [&] { return rig.sim.gear_at(3)->groups != 0x00FF; }));
    rig.bus->scheduler().submit(
        Priority::actuation, {step_for(dapc(Address::short_address(0), 100))},
        [&](const std::vector<Reply>&) {
            removed_when_dapc_done = static_cast<std::size_t>(8 - std::popcount(rig.sim.gear_at(3)->groups));
        });
    REQUIRE(run_until(rig.io, [&] { return got.has_value(); }));
    REQUIRE(removed_when_dapc_done);
    CHECK(*removed_when_dapc_done < 8);
    CHECK((*got)[0].verified());
    // One read, ceil(8 / 3) write jobs, one verifying read, and the DAPC.
    CHECK(rig.bus->counters().jobs - jobs_before == 1 + 3 + 1 + 1);
}

TEST_CASE("planner: unverified groups go member by member, verified ones as one frame", "[dali][groups]") {
    Rig rig;
    auto apply = [&](std::vector<Target> targets) {
        rig.wire.clear();
        std::optional<std::vector<GearStatus>> done;
        rig.bus->apply(std::move(targets), [&](auto s) { done = std::move(s); });
        REQUIRE(run_until(rig.io, [&] { return done.has_value(); }));
        std::vector<Address> dapc_to;
        for (const auto& f : rig.wire)
            if (auto d = decode_address(f.frame.address_byte()); d && !d->command)
                dapc_to.push_back(d->address);
        return dapc_to;
    };
    const std::vector<Target> area{{0, 50, 0}, {1, 50, 0}, {9, 50, 0}};
    CHECK(apply(area) == std::vector<Address>{Address::group(1)});
    rig.bus->set_unverified_groups(1 << 1);
    CHECK(rig.bus->unverified_groups() == 1 << 1);
    CHECK(apply(area) == std::vector<Address>{Address::short_address(0), Address::short_address(1),
                                              Address::short_address(9)});
    rig.bus->set_unverified_groups(0);
    CHECK(apply(area) == std::vector<Address>{Address::group(1)});
}

TEST_CASE("group check steps and decoding", "[dali][groups]") {
    CHECK(group_repair_steps(4, 0b0110, 0b0011).size() == 2);  // add 0, remove 2
    CHECK(group_repair_steps(4, 0xFFFF, 0xFFFF).empty());
    CHECK(decode_groups({Reply::answer(0x02), Reply::answer(0x80)}) == 0x8002);
    CHECK_FALSE(decode_groups({Reply::answer(0x02), Reply::none()}));
    CHECK_FALSE(decode_groups({Reply::framing(), Reply::answer(0)}));
    CHECK(group_list(0x8002) == std::vector<int>{1, 15});
    GroupCheck unreadable;
    unreadable.answered = true;
    unreadable.want = 1 << 3;
    CHECK(unreadable.unsafe_groups() == 1 << 3);
}
