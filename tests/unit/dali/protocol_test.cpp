#include <catch2/catch.hpp>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/foxtron_protocol.hpp"

using namespace lykta::dali;
namespace fx = lykta::dali::foxtron;

TEST_CASE("foxtron: the published QUERY STATUS example, byte for byte", "[dali][foxtron]") {
    auto payload = fx::send_request(command(Address::short_address(1), op::query_status), false);
    CHECK(payload == std::vector<std::uint8_t>{0x0B, 0x00, 0x10, 0x03, 0x90, 0x00});
    CHECK(fx::checksum(payload) == 0x51);
    CHECK(fx::encode(payload) == std::string("\x01"
                                             "0B001003900051"
                                             "\x17"));
    CHECK(fx::encode(fx::config_request(2)) == std::string("\x01"
                                                           "0602F7"
                                                           "\x17"));
    auto twice = fx::send_request(command(Address::broadcast(), op::set_power_on_level), true);
    CHECK(twice.back() == 0x01);
}

TEST_CASE("foxtron: deframer splits, checks and resynchronises", "[dali][foxtron]") {
    fx::Deframer d;
    const auto frame = command(Address::short_address(1), op::query_status);
    std::string stream =
        "junk" + fx::encode(fx::answer_message(frame, 0x04)) + fx::encode(fx::no_answer_message(frame));
    // Feed one byte at a time: partial reads must not lose or invent messages.
    std::vector<fx::Incoming> got;
    for (char c : stream) {
        d.feed(std::string_view(&c, 1));
        while (auto p = d.next()) got.push_back(*fx::interpret(*p));
    }
    REQUIRE(got.size() == 2);
    CHECK(got[0].kind == fx::Incoming::Kind::answer);
    CHECK(got[0].value == 0x04);
    CHECK(got[0].frame == frame);
    CHECK(got[1].kind == fx::Incoming::Kind::no_answer);
    CHECK(d.rejected() == 1);  // the junk

    d.feed(
        "\x01"
        "0D1008039004"
        "00"
        "\x17");  // wrong checksum
    CHECK_FALSE(d.next());
    CHECK(d.last_problem() == "checksum mismatch");
    d.feed(
        "\x01"
        "0D10" +
        fx::encode(fx::event_message(fx::event::power_loss)));  // truncated, then a good one
    auto p = d.next();
    REQUIRE(p);
    CHECK(fx::interpret(*p)->kind == fx::Incoming::Kind::event);
    CHECK(fx::interpret(*p)->value == fx::event::power_loss);
    d.feed(
        "\x01"
        "ZZ00"
        "\x17");
    CHECK_FALSE(d.next());
    d.feed(std::string(200, '7'));
    CHECK_FALSE(d.next());
    d.feed("\x01" + std::string(100, 'A'));
    CHECK_FALSE(d.next());  // too long without ETB: dropped, not buffered forever
    CHECK(d.rejected() >= 6);
}

TEST_CASE("foxtron: collision, config and server-side parsing", "[dali][foxtron]") {
    const auto frame = special_command(special::compare);
    auto c = fx::interpret(fx::answer_message(frame, std::nullopt));
    CHECK(c->kind == fx::Incoming::Kind::collision);
    CHECK(c->frame == frame);
    auto cfg = fx::interpret(fx::config_message(2, 0x0406));
    CHECK(cfg->kind == fx::Incoming::Kind::config);
    CHECK(cfg->data == 0x0406);
    auto req = fx::parse_send_request(fx::send_request(dapc(Address::group(2), 99), true));
    REQUIRE(req);
    CHECK(req->frame == dapc(Address::group(2), 99));
    CHECK(req->send_twice);
    CHECK_FALSE(fx::parse_send_request({0x0B, 0, 24, 1, 2, 3, 0}));  // 24-bit frames are not for gear
    CHECK_FALSE(fx::interpret({0x0D, 0x10}));                        // truncated answer
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
