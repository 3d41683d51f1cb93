// The client's Foxtron codec against the examples printed in Foxtron's "DALI232
// communication protocol", document v1.7 (English; v1.10 Czech prints the same
// bytes), section by section, and against captures from a live DALI2net.
#include <catch2/catch.hpp>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/foxtron_protocol.hpp"

using namespace lykta::dali;
namespace fx = lykta::dali::foxtron;
using Bytes = std::vector<std::uint8_t>;
using Kind = fx::Incoming::Kind;

namespace {
std::string line(const char* hex_with_checksum) {
    return std::string(1, '\x01') + hex_with_checksum + '\x17';
}

// Deframes one line and interprets it: the client's whole receive path.
fx::Incoming receive(const Bytes& data) {
    fx::Deframer d;
    d.feed(fx::encode(data));
    auto p = d.next();
    REQUIRE(p);
    REQUIRE(*p == data);
    auto in = fx::interpret(*p);
    REQUIRE(in);
    return *in;
}
}  // namespace

TEST_CASE("foxtron §2: the checksum example, byte for byte", "[dali][foxtron]") {
    // §2: data part 01 00 10 FF 10, checksum ~(0x120 % 0x100) = 0xDF; the line is
    // 0x01 0x30 0x31 0x30 0x30 0x31 0x30 0x46 0x46 0x31 0x30 0x44 0x46 0x17.
    const Bytes data{0x01, 0x00, 0x10, 0xFF, 0x10};
    CHECK(fx::checksum(data) == 0xDF);
    const std::string expected{0x01, 0x30, 0x31, 0x30, 0x30, 0x31, 0x30,
                               0x46, 0x46, 0x31, 0x30, 0x44, 0x46, 0x17};
    CHECK(fx::encode(data) == expected);
    fx::Deframer d;
    d.feed(expected);
    CHECK(d.next() == data);
}

TEST_CASE("foxtron §4.2/§4.7: what the client sends, byte for byte", "[dali][foxtron]") {
    // §4.2 example: scene 0 to all luminaires (DALI 0xFF 0x10), type 11, once.
    CHECK(fx::send_request(make_frame(0xFF, 0x10), false) == Bytes{0x0B, 0x00, 0x10, 0xFF, 0x10, 0x00});
    CHECK(command(Address::broadcast(), op::go_to_scene) == make_frame(0xFF, 0x10));
    // §4.2 parameter: bit 0 "2x" = the frame goes out twice in a row.
    CHECK(fx::send_request(command(Address::short_address(1), op::set_system_failure_level), true) ==
          Bytes{0x0B, 0x00, 0x10, 0x03, 0x2C, 0x01});
    // §4.7 example: firmware version query.
    CHECK(fx::config_request(fx::item::firmware) == Bytes{0x06, 0x02});
    CHECK(fx::encode(fx::config_request(2)) == line("0602F7"));
}

TEST_CASE("foxtron §4.4: answers to our frames, byte for byte", "[dali][foxtron]") {
    // §4.4 example 1: QUERY LAMP FAILURE to address 12 (0x19 0x92) answered YES (0xFF).
    auto yes = receive({0x0D, 0x10, 0x19, 0x92, 0x08, 0xFF});
    CHECK(yes.kind == Kind::answer);
    CHECK(yes.ours);
    CHECK(yes.message == fx::BusMessage{16, 0x1992});
    CHECK(yes.message.forward_frame() == command(Address::short_address(12), op::query_lamp_failure));
    CHECK(yes.value == 0xFF);
    // §4.4 example 2: the same query broadcast (0xFF 0x92), unreadable answer (several answered).
    auto garbled = receive({0x0D, 0x10, 0xFF, 0x92, 0x00});
    CHECK(garbled.kind == Kind::collision);
    CHECK(garbled.ours);
    CHECK(garbled.message.forward_frame() == command(Address::broadcast(), op::query_lamp_failure));
}

TEST_CASE("foxtron: captures from a live DALI2net decode as §4.4 says", "[dali][foxtron]") {
    // docek/ha-foxtron-dali commit c685cc4 (tests/test_driver.py), probed 2026-08-12:
    // QUERY ACTUAL LEVEL(short 1) -> 0 and QUERY FADE TIME/FADE RATE(short 1) -> 0x07.
    fx::Deframer d;
    d.feed(fx::encode({0x0D, 0x10, 0x03, 0xA0, 0x08, 0x00}) +
           fx::encode({0x0D, 0x10, 0x03, 0xA5, 0x08, 0x07}));
    auto level = fx::interpret(*d.next());
    REQUIRE(level);
    CHECK(level->kind == Kind::answer);
    CHECK(level->message.forward_frame() == command(Address::short_address(1), op::query_actual_level));
    CHECK(level->value == 0x00);
    auto fade = fx::interpret(*d.next());
    REQUIRE(fade);
    CHECK(fade->message.forward_frame() == make_frame(0x03, 0xA5));
    CHECK(fade->value == 0x07);
}

TEST_CASE("foxtron §4.3/§4.5/§4.6: other masters' frames and unanswered ones", "[dali][foxtron]") {
    // §4.3: the same two examples as §4.4, seen on the bus from another master (type 3).
    auto other = receive({0x03, 0x10, 0x19, 0x92, 0x08, 0xFF});
    CHECK(other.kind == Kind::answer);
    CHECK_FALSE(other.ours);
    CHECK(receive({0x03, 0x10, 0xFF, 0x92, 0x00}).kind == Kind::collision);
    // §4.5 / §4.6 example: QUERY LAMP FAILURE to address 12, no answer ("No").
    auto none = receive({0x0E, 0x10, 0x19, 0x92});
    CHECK(none.kind == Kind::no_answer);
    CHECK(none.ours);
    CHECK(none.message == fx::BusMessage{16, 0x1992});
    auto none_other = receive({0x04, 0x10, 0x19, 0x92});
    CHECK(none_other.kind == Kind::no_answer);
    CHECK_FALSE(none_other.ours);
    // §4.5/4.6: data length 0 = the message itself was unreadable (framing error).
    CHECK(receive({0x0E, 0x00}).kind == Kind::unreadable);
}

TEST_CASE("foxtron §4.3-4.6: every message length from 1 to 64 bits", "[dali][foxtron]") {
    // §4.1: 17 bits 1 00100011 01000101 travel as 0x01 0x23 0x45.
    auto m17 = receive({0x0E, 17, 0x01, 0x23, 0x45});
    CHECK(m17.message == fx::BusMessage{17, 0x012345});
    CHECK_FALSE(m17.message.forward_frame());
    auto m24 = receive({0x0D, 24, 0xC1, 0x02, 0x03, 0x08, 0x55});  // a 24-bit frame answered
    CHECK(m24.kind == Kind::answer);
    CHECK(m24.message == fx::BusMessage{24, 0xC10203});
    CHECK(m24.value == 0x55);
    auto m64 = receive({0x04, 64, 1, 2, 3, 4, 5, 6, 7, 8});
    CHECK(m64.message == fx::BusMessage{64, 0x0102030405060708});
    CHECK(receive({0x04, 1, 0x01}).message == fx::BusMessage{1, 1});
    CHECK(receive({0x03, 8, 0xAB, 0x00}).message == fx::BusMessage{8, 0xAB});  // an 8-bit frame, garbled
    // Layouts that do not add up are refused, not guessed.
    CHECK_FALSE(fx::interpret({0x0D, 0x10}));                           // message missing
    CHECK_FALSE(fx::interpret({0x0D, 0x10, 0x19, 0x92}));               // answer length missing
    CHECK_FALSE(fx::interpret({0x0D, 0x10, 0x19, 0x92, 0x08}));         // answer byte missing
    CHECK_FALSE(fx::interpret({0x0D, 0x10, 0x19, 0x92, 0x00, 0xFF}));   // a byte after "unreadable"
    CHECK_FALSE(fx::interpret({0x0D, 0x00, 0x08, 0xFF}));               // §4.4: 1-64 bits
    CHECK_FALSE(fx::interpret({0x0E, 65, 1, 2, 3, 4, 5, 6, 7, 8, 9}));  // more than 64 bits
    CHECK_FALSE(fx::interpret({0x0E, 0x10, 0x19}));                     // short message
    CHECK_FALSE(fx::interpret({0x0E, 0x10, 0x19, 0x92, 0x00}));         // trailing byte
    // The old misreading ([0D][len][anslen][frame][answer]) of §4.4's example does not pass.
    CHECK(receive({0x0D, 0x10, 0x19, 0x92, 0x08, 0xFF}).message.forward_frame() != make_frame(0x92, 0x08));
}

TEST_CASE("foxtron §4.8/§4.11: configuration values and events", "[dali][foxtron]") {
    // §4.8 example: firmware version 1.2.
    auto cfg = receive({0x07, 0x02, 0x01, 0x02});
    CHECK(cfg.kind == Kind::config);
    CHECK(cfg.value == fx::item::firmware);
    CHECK(cfg.data == 0x0102);
    // §4.11 example: the DALI bus was disconnected.
    auto ev = receive({0x05, 0x01});
    CHECK(ev.kind == Kind::event);
    CHECK(ev.value == fx::event::power_loss);
    // §4.10 confirmations are not used by Lykta.
    CHECK(receive({0x09, 0x04, 0x00, 0x00, 0x00}).kind == Kind::unknown);
    CHECK_FALSE(fx::interpret({0x05}));
    CHECK_FALSE(fx::interpret({0x07, 0x02, 0x01}));
}

TEST_CASE("foxtron: deframer splits, checks and resynchronises", "[dali][foxtron]") {
    fx::Deframer d;
    const Bytes answer{0x0D, 0x10, 0x03, 0x90, 0x08, 0x04}, none{0x0E, 0x10, 0x03, 0x90};
    std::string stream = "junk" + fx::encode(answer) + fx::encode(none);
    // Feed one byte at a time: partial reads must not lose or invent messages.
    std::vector<Bytes> got;
    for (char c : stream) {
        d.feed(std::string_view(&c, 1));
        while (auto p = d.next()) got.push_back(*p);
    }
    CHECK(got == std::vector<Bytes>{answer, none});
    CHECK(d.rejected() == 1);  // the junk

    d.feed(
        line("0D1003900804"
             "00"));  // wrong checksum
    CHECK_FALSE(d.next());
    CHECK(d.last_problem() == "checksum mismatch");
    d.feed(
        "\x01"
        "0D10" +
        fx::encode({0x05, 0x01}));  // truncated, then a good one
    CHECK(d.next() == Bytes{0x05, 0x01});
    d.feed(line("ZZ00"));
    CHECK_FALSE(d.next());
    d.feed(line("0501f9"));  // Lykta's choice: lower case accepted
    CHECK(d.next() == Bytes{0x05, 0x01});
    d.feed(line("05"));  // §1: at least 4 data characters
    CHECK_FALSE(d.next());
    d.feed(std::string(200, '7'));
    CHECK_FALSE(d.next());
    d.feed("\x01" + std::string(40, 'A'));
    CHECK_FALSE(d.next());  // longer than §1 allows without ETB: dropped, not buffered forever
    CHECK(d.last_problem() == "message longer than 28 characters");
    CHECK(d.rejected() >= 7);
}
