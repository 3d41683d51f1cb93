#include <catch2/catch.hpp>

#include "drivers/dali/commands.hpp"
#include "lykta-sim/dali/sim_bus.hpp"

using namespace lykta::dali;

namespace {
Reply send(SimBus& bus, ForwardFrame f) {
    auto shape = shape_of(f);
    return bus.transact(f, {shape.expect_answer, shape.send_twice});
}
Reply query(SimBus& bus, int a, std::uint8_t opcode) {
    return send(bus, command(Address::short_address(a), opcode));
}
}  // namespace

TEST_CASE("sim gear: DAPC, read back, clamping to MIN/MAX", "[dali][sim]") {
    SimBus bus;
    bus.add_gear(3, true);
    send(bus, dapc(Address::short_address(1), 200));
    CHECK(query(bus, 1, op::query_actual_level) == Reply::answer(200));
    CHECK(query(bus, 0, op::query_actual_level) == Reply::answer(0));
    send(bus, special_command(special::dtr0, 150));
    send(bus, command(Address::short_address(1), op::set_max_level));
    CHECK(query(bus, 1, op::query_max_level) == Reply::answer(150));
    send(bus, dapc(Address::short_address(1), 254));
    CHECK(query(bus, 1, op::query_actual_level) == Reply::answer(150));
    CHECK(GearStatusBits::decode(query(bus, 1, op::query_status).value).limit_error);
    CHECK(query(bus, 5, op::query_actual_level) == Reply::none());
}

TEST_CASE("sim gear: configuration commands need the second frame within 100 ms", "[dali][sim]") {
    SimBus bus;
    bus.add_gear(1, true);
    send(bus, special_command(special::dtr0, 100));
    const auto set_power_on = command(Address::short_address(0), op::set_power_on_level);
    bus.transact(set_power_on, {false, false});  // once: ignored
    CHECK(query(bus, 0, op::query_power_on_level) == Reply::answer(254));
    bus.transact(set_power_on, {false, false});
    bus.advance(0.2);  // too late for a pair
    bus.transact(set_power_on, {false, false});
    CHECK(query(bus, 0, op::query_power_on_level) == Reply::answer(254));
    bus.transact(set_power_on, {false, false});
    send(bus, special_command(special::dtr0, 7));  // something in between breaks the pair
    bus.transact(set_power_on, {false, false});
    CHECK(query(bus, 0, op::query_power_on_level) == Reply::answer(254));
    bus.transact(set_power_on, {false, true});
    CHECK(query(bus, 0, op::query_power_on_level) == Reply::answer(7));
}

TEST_CASE("sim gear: fade time on the virtual clock", "[dali][sim]") {
    SimBus bus;
    bus.add_gear(1, true);
    send(bus, special_command(special::dtr0, 4));  // 2 s
    send(bus, command(Address::broadcast(), op::set_fade_time));
    send(bus, dapc(Address::broadcast(), 200));
    auto mid = query(bus, 0, op::query_actual_level);
    CHECK(mid.value < 50);
    CHECK(GearStatusBits::decode(query(bus, 0, op::query_status).value).fade_running);
    bus.advance(1.0);
    auto half = query(bus, 0, op::query_actual_level).value;
    CHECK(half > 80);
    CHECK(half < 130);
    bus.advance(1.5);
    CHECK(query(bus, 0, op::query_actual_level) == Reply::answer(200));
    send(bus, command(Address::broadcast(), op::off));  // OFF is immediate
    CHECK(query(bus, 0, op::query_actual_level) == Reply::answer(0));
}

TEST_CASE("sim bus: several answers collide, groups, broadcast", "[dali][sim]") {
    SimBus bus;
    bus.add_gear(4, true);
    CHECK(send(bus, command(Address::broadcast(), op::query_control_gear_present)) == Reply::framing());
    send(bus, command(Address::short_address(2), op::add_to_group + 5));
    send(bus, command(Address::short_address(3), op::add_to_group + 5));
    CHECK(query(bus, 2, op::query_groups_0_7) == Reply::answer(0x20));
    send(bus, dapc(Address::group(5), 100));
    CHECK(query(bus, 2, op::query_actual_level) == Reply::answer(100));
    CHECK(query(bus, 3, op::query_actual_level) == Reply::answer(100));
    CHECK(query(bus, 1, op::query_actual_level) == Reply::answer(0));
    send(bus, command(Address::short_address(3), op::remove_from_group + 5));
    CHECK(query(bus, 3, op::query_groups_0_7) == Reply::answer(0));
    CHECK(bus.counters().collisions == 1);
}

TEST_CASE("sim gear: faults", "[dali][sim]") {
    SimBus bus;
    bus.add_gear(3, true);
    send(bus, dapc(Address::broadcast(), 254));
    bus.gear_at(1)->faults.lamp_failure = true;
    auto status = GearStatusBits::decode(query(bus, 1, op::query_status).value);
    CHECK(status.lamp_failure);
    CHECK_FALSE(status.lamp_on);
    CHECK(send(bus, command(Address::broadcast(), op::query_lamp_failure)) == Reply::answer(yes));
    bus.gear_at(2)->faults.gear_failure = true;
    CHECK(query(bus, 2, op::query_control_gear_failure).yes());
    bus.gear_at(0)->faults.missing = true;
    CHECK(query(bus, 0, op::query_status) == Reply::none());

    send(bus, special_command(special::dtr0, 50));
    send(bus, command(Address::short_address(2), op::set_system_failure_level));
    bus.set_power(false);
    CHECK(query(bus, 2, op::query_status) == Reply::failed(BusError::power_loss));
    bus.set_power(true);
    CHECK(query(bus, 2, op::query_actual_level) == Reply::answer(50));
    CHECK(query(bus, 1, op::query_actual_level) == Reply::answer(254));  // 254 is its failure level too

    bus.faults.no_answer_rate = 1.0;
    CHECK(query(bus, 1, op::query_actual_level) == Reply::none());
    bus.faults.no_answer_rate = 0;
    bus.faults.collision_rate = 1.0;
    CHECK(query(bus, 1, op::query_actual_level) == Reply::framing());
}

TEST_CASE("sim gear: memory bank 0 and D4i counters via DTR1/DTR0", "[dali][sim]") {
    SimBus bus;
    auto& g = bus.add_gear(std::uint8_t{0});
    g.gtin = 0x0102030405;
    send(bus, dapc(Address::broadcast(), 254));
    bus.advance(3600);
    send(bus, special_command(special::dtr1, 0));
    send(bus, special_command(special::dtr0, 0x03));
    std::uint64_t gtin = 0;
    for (int i = 0; i < 6; ++i) gtin = gtin << 8 | query(bus, 0, op::read_memory_location).value;
    CHECK(gtin == 0x0102030405);
    CHECK(query(bus, 0, op::query_content_dtr0) == Reply::answer(0x09));  // auto-incremented

    send(bus, special_command(special::dtr1, 202));
    send(bus, special_command(special::dtr0, 0x05));
    std::uint64_t wh = 0;
    for (int i = 0; i < 6; ++i) wh = wh << 8 | query(bus, 0, op::read_memory_location).value;
    CHECK(wh == 40);  // 40 W rated for one hour at 100 %

    send(bus, special_command(special::dtr1, 205));
    send(bus, special_command(special::dtr0, 0x04));
    std::uint32_t seconds = 0;
    for (int i = 0; i < 4; ++i) seconds = seconds << 8 | query(bus, 0, op::read_memory_location).value;
    CHECK(seconds >= 3600);
    send(bus, special_command(special::dtr1, 99));
    CHECK(query(bus, 0, op::read_memory_location) == Reply::none());  // bank not implemented
}

TEST_CASE("sim gear: device type 6 dimming curve needs ENABLE DEVICE TYPE", "[dali][sim]") {
    SimBus bus;
    bus.add_gear(1, true);
    CHECK(query(bus, 0, op::query_device_type) == Reply::answer(6));
    send(bus, special_command(special::dtr0, 1));
    auto select = command(Address::short_address(0), op::select_dimming_curve);
    bus.transact(select, {false, true});  // without ENABLE DEVICE TYPE: ignored
    send(bus, special_command(special::enable_device_type, 6));
    CHECK(query(bus, 0, op::query_dimming_curve).outcome == Outcome::answer);
    CHECK(bus.gears()[0].curve == DimmingCurve::logarithmic);
    send(bus, special_command(special::enable_device_type, 6));
    bus.transact(select, {false, true});
    CHECK(bus.gears()[0].curve == DimmingCurve::linear);
}

TEST_CASE("sim gear: random address commissioning primitives", "[dali][sim]") {
    SimBus bus;
    auto& g = bus.add_gear(std::nullopt);
    g.random_address = 0x123456;
    auto sp = [&](std::uint8_t opc, std::uint8_t data = 0) { return send(bus, special_command(opc, data)); };
    CHECK(sp(special::compare) == Reply::none());  // not initialised
    sp(special::initialise, special::initialise_unaddressed);
    sp(special::search_address_h, 0x12);
    sp(special::search_address_m, 0x34);
    sp(special::search_address_l, 0x55);
    CHECK(sp(special::compare) == Reply::none());
    sp(special::search_address_l, 0x56);
    CHECK(sp(special::compare).yes());
    CHECK(sp(special::query_short_address) == Reply::answer(mask));
    sp(special::program_short_address, address_parameter(9));
    CHECK(sp(special::verify_short_address, address_parameter(9)).yes());
    CHECK(sp(special::query_short_address) == Reply::answer(address_parameter(9)));
    sp(special::withdraw);
    CHECK(sp(special::compare) == Reply::none());
    sp(special::terminate);
    CHECK(bus.gear_at(9) == &g);
    bus.advance(16 * 60);  // the 15-minute window ends by itself
    sp(special::initialise, 0);
    bus.advance(16 * 60);
    CHECK(sp(special::compare) == Reply::none());
}
