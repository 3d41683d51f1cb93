#include <catch2/catch.hpp>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/hasseb_protocol.hpp"

using namespace lykta::dali;

TEST_CASE("hasseb: report encoding and decoding", "[dali][hasseb]") {
    auto r = hasseb::frame_report(7, command(Address::short_address(1), op::query_status), true, false);
    CHECK(r == std::array<std::uint8_t, 10>{0xAA, 0x07, 7, 16, 1, 0, 0, 0x03, 0x90, 0});
    auto t = hasseb::frame_report(8, command(Address::broadcast(), op::set_fade_time), false, true);
    CHECK(t[6] == 10);
    CHECK(t[7] == 0xFF);
    std::array<std::uint8_t, 10> ok{0xAA, 0x07, 7, 2, 1, 0xFE, 0, 0, 0, 0};
    auto parsed = hasseb::parse_report(ok);
    REQUIRE(parsed);
    CHECK(parsed->sequence == 7);
    CHECK(parsed->reply == Reply::answer(0xFE));
    std::array<std::uint8_t, 10> none{0xAA, 0x07, 9, 1, 0, 0, 0, 0, 0, 0};
    CHECK(hasseb::parse_report(none)->reply == Reply::none());
    std::array<std::uint8_t, 10> bad{0xAA, 0x07, 9, 3, 0, 0, 0, 0, 0, 0};
    CHECK(hasseb::parse_report(bad)->reply == Reply::framing());
    std::array<std::uint8_t, 10> nodata{0xAA, 0x07, 9, 0, 0, 0, 0, 0, 0, 0};
    CHECK_FALSE(hasseb::parse_report(nodata));
    std::array<std::uint8_t, 10> sniff{0xAA, 0x07, 9, 5, 1, 0x12, 0, 0, 0, 0};
    CHECK_FALSE(hasseb::parse_report(sniff));
    std::array<std::uint8_t, 3> short_report{0xAA, 0x07, 9};
    CHECK_FALSE(hasseb::parse_report(short_report));
    std::array<std::uint8_t, 10> firmware{0xAA, 0x02, 1, 2, 5, 0, 0, 0, 0, 0};
    CHECK_FALSE(hasseb::parse_report(firmware));
}

#include <asio/io_context.hpp>

#include "drivers/dali/transport_factory.hpp"

TEST_CASE("every protocol the config accepts has a transport", "[dali][config]") {
    asio::io_context io;
    for (const auto& p : lykta::config::known_dali_protocols()) {
        lykta::config::Endpoint e;
        e.protocol = p;
        e.device = "/dev/null";
        CHECK(make_transport(io, e) != nullptr);
    }
    lykta::config::Endpoint unknown;
    unknown.protocol = "daliserver";
    CHECK_THROWS_AS(make_transport(io, unknown), std::invalid_argument);
}
