#include <catch2/catch.hpp>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/frame.hpp"
#include "drivers/dali/level_curve.hpp"
#include "drivers/dali/status.hpp"

using namespace lykta::dali;

TEST_CASE("golden forward frames", "[dali][codec]") {
    CHECK(dapc(Address::short_address(5), 254).value == 0x0AFE);
    CHECK(command(Address::short_address(1), op::query_status).value == 0x0390);
    CHECK(command(Address::broadcast(), op::off).value == 0xFF00);
    CHECK(dapc(Address::broadcast(), 0).value == 0xFE00);
    CHECK(dapc(Address::group(3), 128).value == 0x8680);
    CHECK(command(Address::group(15), op::recall_max_level).value == 0x9F05);
    CHECK(command(Address::unaddressed(), op::query_control_gear_present).value == 0xFD91);
    CHECK(command(Address::short_address(63), op::go_to_scene + 4).value == 0x7F14);
    CHECK(special_command(special::dtr0, 0x80).value == 0xA380);
    CHECK(special_command(special::initialise, special::initialise_unaddressed).value == 0xA5FF);
    CHECK(special_command(special::program_short_address, address_parameter(12)).value == 0xB719);
    CHECK(special_command(special::dtr1, 202).value == 0xC3CA);
    CHECK(special_command(special::enable_device_type, 6).value == 0xC106);
}

TEST_CASE("every address byte decodes back to what encoded it", "[dali][codec]") {
    for (int a = 0; a < 64; ++a)
        for (bool cmd : {false, true}) {
            auto d = decode_address(Address::short_address(a).byte(cmd));
            REQUIRE(d);
            CHECK(d->address == Address::short_address(a));
            CHECK(d->command == cmd);
        }
    for (int g = 0; g < 16; ++g) {
        auto d = decode_address(Address::group(g).byte(true));
        REQUIRE(d);
        CHECK(d->address == Address::group(g));
    }
    CHECK(decode_address(0xFF)->address == Address::broadcast());
    CHECK(decode_address(0xFD)->address == Address::unaddressed());
    for (int b = 0xA0; b <= 0xFB; ++b) CHECK_FALSE(decode_address(static_cast<std::uint8_t>(b)));
}

TEST_CASE("short addresses and groups outside their range are refused, not masked", "[dali][codec]") {
    // Issue 21: short_address(64) used to mask to gear 0.
    CHECK_THROWS_AS(Address::short_address(64), std::out_of_range);
    CHECK_THROWS_AS(Address::short_address(-1), std::out_of_range);
    CHECK_THROWS_WITH(Address::short_address(64), Catch::Contains("64 is outside 0..63"));
    CHECK_THROWS_AS(Address::group(16), std::out_of_range);
    CHECK_THROWS_AS(address_parameter(64), std::out_of_range);
    CHECK(Address::short_address(63).byte(true) == 0x7F);
    CHECK(Address::group(15).byte(true) == 0x9F);
}

TEST_CASE("command table: send-twice, DTR use and answer kinds", "[dali][codec]") {
    struct Row {
        std::uint8_t opcode;
        bool twice;
        Response response;
    };
    for (auto [opc, twice, resp] : {Row{op::off, false, Response::none},
                                    Row{op::up, false, Response::none},
                                    Row{op::down, false, Response::none},
                                    Row{op::recall_max_level, false, Response::none},
                                    Row{op::recall_min_level, false, Response::none},
                                    Row{op::go_to_scene + 15, false, Response::none},
                                    Row{op::go_to_last_active_level, false, Response::none},
                                    Row{op::reset, true, Response::none},
                                    Row{op::store_actual_level_in_dtr0, true, Response::none},
                                    Row{op::set_max_level, true, Response::none},
                                    Row{op::set_min_level, true, Response::none},
                                    Row{op::set_system_failure_level, true, Response::none},
                                    Row{op::set_power_on_level, true, Response::none},
                                    Row{op::set_fade_time, true, Response::none},
                                    Row{op::set_fade_rate, true, Response::none},
                                    Row{op::set_scene + 7, true, Response::none},
                                    Row{op::remove_from_scene + 7, true, Response::none},
                                    Row{op::add_to_group + 9, true, Response::none},
                                    Row{op::remove_from_group + 9, true, Response::none},
                                    Row{op::set_short_address, true, Response::none},
                                    Row{op::query_status, false, Response::bitmap},
                                    Row{op::query_control_gear_present, false, Response::yes_no},
                                    Row{op::query_lamp_failure, false, Response::yes_no},
                                    Row{op::query_actual_level, false, Response::value_or_mask},
                                    Row{op::query_max_level, false, Response::value},
                                    Row{op::query_min_level, false, Response::value},
                                    Row{op::query_power_on_level, false, Response::value_or_mask},
                                    Row{op::query_system_failure_level, false, Response::value_or_mask},
                                    Row{op::query_fade_time_fade_rate, false, Response::value},
                                    Row{op::query_groups_0_7, false, Response::bitmap},
                                    Row{op::query_groups_8_15, false, Response::bitmap},
                                    Row{op::query_device_type, false, Response::value},
                                    Row{op::query_version_number, false, Response::value},
                                    Row{op::query_control_gear_failure, false, Response::yes_no},
                                    Row{op::read_memory_location, false, Response::value}}) {
        INFO("opcode " << int(opc));
        const auto* info = command_info(opc);
        REQUIRE(info);
        CHECK(info->send_twice == twice);
        CHECK(info->response == resp);
        auto shape = shape_of(command(Address::short_address(3), opc));
        CHECK(shape.send_twice == twice);
        CHECK(shape.expect_answer == (resp != Response::none));
    }
    CHECK(command_info(op::set_power_on_level)->dtr == uses_dtr0);
    CHECK(command_info(op::read_memory_location)->dtr == (uses_dtr0 | uses_dtr1));
    CHECK(command_info(op::select_dimming_curve) == nullptr);  // needs ENABLE DEVICE TYPE 6
    CHECK(command_info(op::select_dimming_curve, 6)->send_twice);
    CHECK_FALSE(shape_of(dapc(Address::broadcast(), 100)).expect_answer);
}

TEST_CASE("special commands", "[dali][codec]") {
    CHECK(shape_of(special_command(special::initialise, 0)).send_twice);
    CHECK(shape_of(special_command(special::randomise)).send_twice);
    CHECK(shape_of(special_command(special::compare)).response == Response::yes_no);
    CHECK(shape_of(special_command(special::verify_short_address, 3)).response == Response::yes_no);
    CHECK(shape_of(special_command(special::query_short_address)).response == Response::value_or_mask);
    CHECK_FALSE(shape_of(special_command(special::dtr0, 5)).expect_answer);
    CHECK_FALSE(shape_of(special_command(special::withdraw)).expect_answer);
    CHECK_FALSE(shape_of(special_command(special::terminate)).send_twice);
    for (auto b : {special::search_address_h, special::search_address_m, special::search_address_l,
                   special::program_short_address, special::enable_device_type, special::dtr1, special::dtr2})
        CHECK(special_info(b) != nullptr);
}

TEST_CASE("frame log decoding", "[dali][codec]") {
    CHECK(describe(ForwardFrame{0x0AFE}) == "DAPC(short 5, 254)");
    CHECK(describe(ForwardFrame{0x0390}) == "QUERY STATUS(short 1)");
    CHECK(describe(ForwardFrame{0xFF00}) == "OFF(broadcast)");
    CHECK(describe(ForwardFrame{0x8363}) == "ADD TO GROUP 3(group 1)");
    CHECK(describe(ForwardFrame{0xA380}) == "DTR0(0x80)");
    CHECK(describe(ForwardFrame{0x03E3}, 6) == "SELECT DIMMING CURVE(short 1)");
    CHECK(hex(ForwardFrame{0x0AFE}) == "0AFE");
}

TEST_CASE("QUERY STATUS: every bit decodes and re-encodes", "[dali][codec]") {
    for (int b = 0; b < 256; ++b) CHECK(GearStatusBits::decode(static_cast<std::uint8_t>(b)).encode() == b);
    auto s = GearStatusBits::decode(0x01);
    CHECK(s.gear_failure);
    CHECK(GearStatusBits::decode(0x02).lamp_failure);
    CHECK(GearStatusBits::decode(0x04).lamp_on);
    CHECK(GearStatusBits::decode(0x08).limit_error);
    CHECK(GearStatusBits::decode(0x10).fade_running);
    CHECK(GearStatusBits::decode(0x20).reset_state);
    CHECK(GearStatusBits::decode(0x40).missing_short_address);
    CHECK(GearStatusBits::decode(0x80).power_failure);
    CHECK(GearStatusBits::decode(0x06).to_string() == "lamp_failure,lamp_on");
    CHECK(GearStatusBits::decode(0).to_string() == "ok");
}

TEST_CASE("logarithmic curve matches the published table", "[dali][curve]") {
    CHECK(percent_from_level(0) == 0);
    CHECK(percent_from_level(1) == Approx(0.100).epsilon(0.005));
    CHECK(percent_from_level(10) == Approx(0.128).epsilon(0.005));
    CHECK(percent_from_level(85) == Approx(0.991).epsilon(0.005));
    CHECK(percent_from_level(128) == Approx(3.206).epsilon(0.005));
    CHECK(percent_from_level(200) == Approx(22.892).epsilon(0.005));
    CHECK(percent_from_level(254) == Approx(100.0).epsilon(0.0001));
    CHECK(level_from_percent(0) == 0);
    CHECK(level_from_percent(0.001) == 1);
    CHECK(level_from_percent(100) == 254);
    CHECK(level_from_percent(150) == 254);
}

TEST_CASE("both curves round-trip over all 254 levels", "[dali][curve]") {
    for (auto curve : {DimmingCurve::logarithmic, DimmingCurve::linear})
        for (int n = 1; n <= 254; ++n) {
            INFO("level " << n << " curve " << int(curve));
            CHECK(level_from_percent(percent_from_level(static_cast<std::uint8_t>(n), curve), curve) == n);
        }
    CHECK(percent_from_level(127, DimmingCurve::linear) == Approx(50.0));
}

TEST_CASE("fade time codes", "[dali][curve]") {
    CHECK(fade_time_code(0) == 0);
    CHECK(fade_time_seconds(1) == Approx(0.707).epsilon(0.01));
    CHECK(fade_time_seconds(15) == Approx(90.5).epsilon(0.01));
    for (int c = 1; c <= 15; ++c) CHECK(fade_time_code(fade_time_seconds(static_cast<std::uint8_t>(c))) == c);
    CHECK(fade_time_code(60) == 14);  // 64 s is the nearest step to a minute
    CHECK(fade_time_code(1000) == 15);
}
