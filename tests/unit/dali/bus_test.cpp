// dali::Bus against the in-process simulated bus: planning, sweeps, fail-safe, commissioning.
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "drivers/dali/bus.hpp"
#include "drivers/dali/level_curve.hpp"
#include "lykta-sim/dali/sim_transport.hpp"

using namespace lykta::dali;

namespace {
struct Fixture {
    asio::io_context io;
    SimBus sim;
    std::unique_ptr<Bus> bus;
    explicit Fixture(int gear, bool addressed = true, BusLayout layout = {}) {
        sim.add_gear(gear, addressed);
        if (layout.addresses.empty())
            for (int a = 0; a < gear; ++a) layout.addresses.push_back(a);
        auto t = std::make_unique<SimTransport>(io, sim);
        bus = std::make_unique<Bus>(io, "bus1", std::move(t), std::move(layout));
        bus->start();
    }
    template <class T, class Start>
    T await(Start start) {
        std::optional<T> got;
        start([&](T v) { got = std::move(v); });
        io.restart();
        while (!got && io.run_one() > 0) {
        }
        REQUIRE(got);
        return std::move(*got);
    }
    std::vector<GearStatus> apply(std::vector<Target> t) {
        return await<std::vector<GearStatus>>([&](auto cb) { bus->apply(t, cb); });
    }
    std::vector<GearStatus> sweep() {
        return await<std::vector<GearStatus>>([&](auto cb) { bus->sweep(cb); });
    }
    CommissionReport commission(bool all = false) {
        return await<CommissionReport>([&](auto cb) { bus->commission({all}, cb); });
    }
};

BusLayout grouped(int n) {
    BusLayout l;
    for (int a = 0; a < n; ++a) l.addresses.push_back(a);
    for (int a = 0; a < n / 2; ++a) l.groups[1].push_back(a);
    for (int a = n / 2; a < n; ++a) l.groups[2].push_back(a);
    return l;
}
}  // namespace

TEST_CASE("bus: an area change goes out as one group frame and reads back", "[dali][bus]") {
    Fixture f(8, true, grouped(8));
    for (int a = 0; a < 8; ++a) f.sim.gear_at(a)->groups = f.bus->layout().groups_of(a);
    std::vector<Target> t;
    for (int a = 0; a < 4; ++a) t.push_back({a, 50, 0});
    const auto frames_before = f.sim.counters().frames;
    auto got = f.apply(t);
    REQUIRE(got.size() == 4);
    for (auto& s : got) {
        CHECK(s.available);
        CHECK(s.level == level_from_percent(50));
        CHECK(*s.percent == Approx(50).epsilon(0.03));
    }
    // DTR0 + SET FADE TIME (twice) + one group DAPC, then 4 read-backs.
    CHECK(f.sim.counters().frames - frames_before == 1 + 2 + 1 + 4);
    CHECK(f.sim.gear_at(5)->actual_level(f.sim.now()) == 0);
    // Same fade again: the fade time is known, only the DAPC goes out.
    f.apply(t);
    CHECK(f.bus->last_apply_frames() == 1);
    // Per address when members differ.
    t[0].percent = 20;
    f.apply(t);
    CHECK(f.bus->last_apply_frames() == 4);
    CHECK(f.sim.gear_at(0)->actual_level(f.sim.now()) == level_from_percent(20));
}

TEST_CASE("bus: sweep reports levels, failures and absent gear", "[dali][bus]") {
    BusLayout l;
    l.addresses = {0, 1, 2, 3};  // 3 is configured but not on the bus
    Fixture f(3, true, l);
    f.apply({{0, 100, 0}, {1, 100, 0}, {2, 100, 0}});
    const auto before = f.sim.counters().frames;
    auto s = f.sweep();
    REQUIRE(s.size() == 4);
    CHECK(f.sim.counters().frames - before == 3 + 4);  // no failure: ACTUAL LEVEL only
    CHECK(s[0].available);
    CHECK(s[0].level == 254);
    CHECK_FALSE(s[0].lamp_failure);
    CHECK_FALSE(s[3].available);
    CHECK(s[3].problem == "no answer");

    f.sim.gear_at(1)->faults.lamp_failure = true;
    f.sim.gear_at(2)->faults.gear_failure = true;
    s = f.sweep();
    CHECK(s[1].lamp_failure);
    CHECK_FALSE(s[1].gear_failure);
    CHECK(s[2].gear_failure);
    CHECK_FALSE(s[0].lamp_failure);
    REQUIRE(s[1].bits);
    CHECK_FALSE(s[1].bits->lamp_on);

    using H = std::optional<Bus::Health>;
    auto h = f.await<H>([&](auto cb) { f.bus->health_check(cb); });
    REQUIRE(h);
    CHECK(h->lamp_failure);
    CHECK(h->gear_failure);
    f.sim.gear_at(1)->faults.lamp_failure = false;
    f.sim.gear_at(2)->faults.gear_failure = false;
    h = f.await<H>([&](auto cb) { f.bus->health_check(cb); });
    CHECK_FALSE(h->lamp_failure);
    CHECK_FALSE(h->gear_failure);

    f.sim.set_power(false);
    CHECK_FALSE(f.await<H>([&](auto cb) { f.bus->health_check(cb); }));
    s = f.sweep();
    for (auto& g : s) {
        CHECK_FALSE(g.available);
        CHECK(g.problem == "bus error (power loss)");
    }
}

TEST_CASE("bus: fail-safe levels are written only when they differ, and verified", "[dali][bus]") {
    Fixture f(3);
    std::vector<FailSafeLevels> want{{0, 254, 254}, {1, 200, 150}, {2, 254, mask}};
    auto r = f.await<std::vector<FailSafeResult>>([&](auto cb) { f.bus->program_fail_safe(want, cb); });
    REQUIRE(r.size() == 3);
    CHECK(r[0].ok);
    CHECK_FALSE(r[0].written);  // the factory default already
    CHECK(r[1].ok);
    CHECK(r[1].written);
    CHECK(f.sim.gear_at(1)->power_on_level == 200);
    CHECK(f.sim.gear_at(1)->system_failure_level == 150);
    CHECK(f.sim.gear_at(2)->system_failure_level == mask);
    const auto before = f.sim.counters().frames;
    r = f.await<std::vector<FailSafeResult>>([&](auto cb) { f.bus->program_fail_safe(want, cb); });
    for (auto& x : r) CHECK((x.ok && !x.written));
    CHECK(f.sim.counters().frames - before == 6);  // queries only

    f.sim.gear_at(0)->faults.missing = true;
    r = f.await<std::vector<FailSafeResult>>([&](auto cb) { f.bus->program_fail_safe(want, cb); });
    CHECK_FALSE(r[0].ok);
    CHECK(r[0].problem.find("no answer") != std::string::npos);
}

TEST_CASE("bus: commissioning refuses a configured short address outside 0..63",
          "[dali][bus][commissioning]") {
    BusLayout l;
    l.addresses = {0, 64};  // 64 used to be programmed masked, as gear 0
    Fixture f(1, false, l);
    const auto frames_before = f.sim.counters().frames;
    auto report = f.commission();
    CHECK_FALSE(report.ok);
    REQUIRE(report.problems.size() == 1);
    CHECK(report.problems.front() == "configured short address 64 is outside 0..63");
    CHECK(report.found.empty());
    CHECK(f.sim.counters().frames == frames_before);  // nothing reached the bus
    CHECK_FALSE(f.sim.gear_at(0));
}

TEST_CASE("bus: commissioning 64 gear with random addresses", "[dali][bus][commissioning]") {
    BusLayout l = grouped(64);
    Fixture f(64, false, l);
    auto report = f.commission();
    INFO((report.problems.empty() ? "" : report.problems.front()));
    CHECK(report.ok);
    CHECK(report.found.size() == 64);
    std::set<int> addresses;
    for (auto& g : f.sim.gears()) {
        REQUIRE(g.short_address);
        addresses.insert(*g.short_address);
        CHECK(g.groups == l.groups_of(*g.short_address));
    }
    CHECK(addresses.size() == 64);
    for (auto& found : report.found) CHECK(found.device_type == 6);
    CHECK(report.absent.empty());
    CHECK(report.unexpected.empty());
    CHECK(report.groups_programmed.size() == 64);
    // Found gear really carry the random address reported for them.
    for (auto& found : report.found)
        CHECK(f.sim.gear_at(found.address)->random_address == found.random_address);

    // Idempotent: nothing new, nothing changed.
    auto again = f.commission();
    CHECK(again.ok);
    CHECK(again.found.empty());
    CHECK(again.groups_programmed.empty());
    CHECK(again.present.size() == 64);
}

TEST_CASE("bus: commissioning reports config differences and fills configured gaps first",
          "[dali][bus][commissioning]") {
    BusLayout l;
    l.addresses = {0, 1, 7};
    Fixture f(0, true, l);
    f.sim.add_gear(std::uint8_t{0});
    f.sim.add_gear(std::uint8_t{12});  // not in the config
    f.sim.add_gear(std::nullopt);      // new gear
    auto r = f.commission();
    CHECK(r.ok);
    REQUIRE(r.found.size() == 1);
    CHECK(r.found[0].address == 1);  // the first configured address that was free
    CHECK(r.absent == std::vector<int>{7});
    CHECK(r.unexpected == std::vector<int>{12});

    auto all = f.commission(true);  // re-address everything: configured addresses first
    CHECK(all.found.size() == 3);
    CHECK(all.absent.empty());
    CHECK(all.unexpected.empty());
}

TEST_CASE("bus: commissioning gives up on gear that keep colliding", "[dali][bus][commissioning]") {
    Fixture f(0, false);
    // Two gear with the same seed draw the same random addresses forever.
    f.sim.gears().emplace_back(std::nullopt, 5, 42);
    f.sim.gears().emplace_back(std::nullopt, 5, 42);
    auto r = f.commission();
    CHECK_FALSE(r.ok);
    CHECK(r.found.empty());
    REQUIRE_FALSE(r.problems.empty());
    CHECK(r.problems.back().find("same random address") != std::string::npos);
}

TEST_CASE("bus: D4i energy and operating time from the memory banks", "[dali][bus]") {
    Fixture f(2);
    f.apply({{0, 100, 0}, {1, 100, 0}});
    f.sim.advance(7200);
    f.sim.gear_at(1)->faults.missing = true;
    auto r = f.await<std::vector<EnergyReading>>([&](auto cb) { f.bus->read_energy({0, 1}, cb); });
    REQUIRE(r.size() == 2);
    REQUIRE(r[0].energy_wh);
    CHECK(*r[0].energy_wh == Approx(80).margin(1));  // 40 W for two hours
    CHECK(*r[0].power_w == Approx(40));
    CHECK(*r[0].operating_s >= 7200);
    CHECK(r[0].starts == 1u);
    CHECK_FALSE(r[1].energy_wh);
    CHECK_FALSE(r[1].operating_s);
}
