// Asset inventory: banks 0 and 1 read from the simulated gear through the
// real scheduler and frame encoding; a swapped gear is detected.
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "drivers/dali/bus.hpp"
#include "drivers/dali/inventory.hpp"
#include "lykta-sim/dali/sim_transport.hpp"

using namespace lykta::dali;

namespace {

struct Fixture {
    asio::io_context io;
    SimBus sim;
    std::unique_ptr<Bus> bus;
    explicit Fixture(int gear) {
        sim.add_gear(gear, true);
        BusLayout layout;
        for (int a = 0; a < gear; ++a) layout.addresses.push_back(a);
        bus = std::make_unique<Bus>(io, "bus1", std::make_unique<SimTransport>(io, sim), std::move(layout));
        bus->start();
    }
    std::vector<GearInventory> read(std::vector<int> addresses) {
        std::optional<std::vector<GearInventory>> got;
        read_inventory(*bus, std::move(addresses), [&](std::vector<GearInventory> v) { got = std::move(v); });
        io.restart();
        while (!got && io.run_one() > 0) {
        }
        REQUIRE(got);
        return std::move(*got);
    }
};

}  // namespace

TEST_CASE("inventory: bank 0 identity of every gear, bank 1 where present", "[dali][inventory]") {
    Fixture f(3);
    for (int a = 0; a < 3; ++a) {
        f.sim.gear_at(a)->gtin = 4012345000000ULL + static_cast<std::uint64_t>(a);
        f.sim.gear_at(a)->serial = 0x1122334455660000ULL + static_cast<std::uint64_t>(a);
    }
    f.sim.gear_at(1)->firmware = 0x0307;
    SimGear::LuminaireBank lum;
    lum.gtin = 7350012345678ULL;
    lum.luminaire_id = 0xABCDEF0102030405ULL;
    lum.year = 24;
    lum.week = 37;
    lum.nominal_power_w = 39;
    lum.light_output_lm = 5200;
    lum.cct_k = 3000;
    f.sim.gear_at(2)->bank1 = lum;

    const auto inv = f.read({0, 1, 2, 40});
    REQUIRE(inv.size() == 4);
    CHECK(inv[0].answered);
    CHECK(inv[0].gtin_text() == "4012345000000");
    CHECK(inv[0].identification_text() == "1122334455660000");
    CHECK(inv[0].firmware_text() == "1.2");
    CHECK(inv[0].problem.empty());
    CHECK_FALSE(inv[0].luminaire);  // no bank 1 on this gear: NO answers, nothing invented
    CHECK(inv[1].firmware_text() == "3.7");
    CHECK(inv[1].gtin == 4012345000001ULL);
    REQUIRE(inv[2].luminaire);
    CHECK(inv[2].luminaire->gtin == 7350012345678ULL);
    CHECK(inv[2].luminaire->luminaire_id == 0xABCDEF0102030405ULL);
    CHECK(inv[2].luminaire->year == 2024);
    CHECK(inv[2].luminaire->week == 37);
    CHECK(inv[2].luminaire->nominal_power_w == 39);
    CHECK(inv[2].luminaire->light_output_lm == 5200u);
    CHECK(inv[2].luminaire->cct_k == 3000);
    // No gear at 40: unreadable, with the address in the problem.
    CHECK_FALSE(inv[3].answered);
    CHECK(inv[3].problem.find("40") != std::string::npos);
    CHECK(f.read({}).empty());
}

TEST_CASE("inventory: a swapped gear is a mismatch, the same gear is not", "[dali][inventory]") {
    Fixture f(2);
    f.sim.gear_at(0)->gtin = 4012345000010ULL;
    f.sim.gear_at(0)->serial = 0x10;
    const auto recorded = f.read({0}).at(0);
    CHECK(compare_inventory(recorded, f.read({0}).at(0)).result == InventoryCompare::Result::same);

    // The installer replaces the driver: new serial and another product.
    f.sim.gear_at(0)->gtin = 4012345000099ULL;
    f.sim.gear_at(0)->serial = 0x20;
    const auto now = f.read({0}).at(0);
    const auto c = compare_inventory(recorded, now);
    CHECK(c.result == InventoryCompare::Result::mismatch);
    REQUIRE(c.differences.size() == 2);
    CHECK(c.differences[0] == "gtin 4012345000010 -> 4012345000099");
    CHECK(c.differences[1] == "identification 0000000000000010 -> 0000000000000020");

    // Same product, only the serial differs: still a swap.
    auto same_product = recorded;
    same_product.identification = 0x30;
    CHECK(compare_inventory(recorded, same_product).result == InventoryCompare::Result::mismatch);
    // Gone from the bus: unreadable, not a mismatch.
    CHECK(compare_inventory(recorded, f.read({5}).at(0)).result == InventoryCompare::Result::unreadable);
}

TEST_CASE("inventory decoding: MASK bytes and missing replies are not values", "[dali][inventory]") {
    std::vector<Reply> replies(2, Reply::none());  // DTR1, DTR0
    for (int offset = 0x02; offset <= 0x12; ++offset)
        replies.push_back(offset >= 0x03 && offset <= 0x08 ? Reply::answer(0xFF) : Reply::answer(0x01));
    const auto g = decode_bank0(7, replies);
    CHECK(g.answered);
    CHECK_FALSE(g.gtin);  // all ones: read-protected / not given
    CHECK(g.firmware == 0x0101);
    CHECK(g.problem.find("incomplete") != std::string::npos);
    CHECK(bank0_read_steps(7).size() == replies.size());
    auto short_replies = replies;
    short_replies.resize(10);  // truncated job (bus failure mid-way)
    CHECK_FALSE(decode_bank0(7, short_replies).identification);
    CHECK(bank1_read_steps(7).size() == 2 + (0x22 - 0x03 + 1));
}

TEST_CASE("inventory read: actuation and polling get the bus between short jobs", "[dali][inventory]") {
    Fixture f(2);
    SimGear::LuminaireBank lum;
    lum.gtin = 7350012345678ULL;
    f.sim.gear_at(0)->bank1 = lum;
    f.sim.gear_at(1)->bank1 = lum;
    std::optional<std::vector<GearInventory>> got;
    read_inventory(*f.bus, {0, 1}, [&](std::vector<GearInventory> v) { got = std::move(v); });
    // The first inventory job is on the bus now; a level command arrives, then a status query.
    const auto frames_at_submit = f.bus->counters().frames;
    std::optional<std::uint64_t> actuation_done_at;
    bool poll_done_before_inventory = false;
    f.bus->scheduler().submit(
        Priority::actuation, {step_for(dapc(Address::short_address(0), 100))},
        [&](const std::vector<Reply>&) { actuation_done_at = f.bus->counters().frames; });
    f.bus->scheduler().submit(Priority::polling,
                              {step_for(command(Address::short_address(1), op::query_actual_level))},
                              [&](const std::vector<Reply>&) { poll_done_before_inventory = !got; });
    f.io.restart();
    while (!got && f.io.run_one() > 0) {
    }
    REQUIRE(got);
    REQUIRE(actuation_done_at);
    // At most the rest of one job (2 DTR frames + 8 reads) before the command, not a whole bank run.
    CHECK(*actuation_done_at - frames_at_submit <= 2 + 8 + 1);
    CHECK(poll_done_before_inventory);
    REQUIRE(got->size() == 2);
    CHECK((*got)[1].luminaire->gtin == 7350012345678ULL);
    CHECK((*got)[1].gtin_text() == (*got)[0].gtin_text());
}
