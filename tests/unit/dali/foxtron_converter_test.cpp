// The simulated converter's codec (foxtron_converter.*) against the examples
// printed in Foxtron's "DALI232 communication protocol", document v1.7
// (English; v1.10 Czech prints the same bytes), section by section, and a
// capture from a live DALI2net. The client's codec has its own tests
// (foxtron_protocol_test.cpp); the two share no code.
#include <catch2/catch.hpp>

#include "lykta-sim/dali/foxtron_converter.hpp"

namespace cv = lykta::dali::foxtron::converter;
namespace fx = lykta::dali::foxtron;
using Bytes = std::vector<std::uint8_t>;

namespace {
cv::FromMaster read_one(const std::string& chars) {
    cv::LineReader r;
    auto got = r.feed(chars);
    REQUIRE(got.size() == 1);
    REQUIRE_FALSE(got[0].corrupt);
    auto parsed = cv::parse(got[0].data);
    REQUIRE(parsed);
    return *parsed;
}

cv::Send read_send(const Bytes& data) {
    auto m = read_one(cv::to_line(data));
    REQUIRE(std::holds_alternative<cv::Send>(m));
    return std::get<cv::Send>(m);
}
}  // namespace

TEST_CASE("foxtron converter §1/§2: the checksum example, byte for byte", "[dali][foxtron]") {
    // §2: data part 01 00 10 FF 10 -> 0x01 0x30 0x31 0x30 0x30 0x31 0x30 0x46 0x46 0x31 0x30 0x44 0x46 0x17.
    const std::string wire{0x01, 0x30, 0x31, 0x30, 0x30, 0x31, 0x30,
                           0x46, 0x46, 0x31, 0x30, 0x44, 0x46, 0x17};
    CHECK(cv::to_line({0x01, 0x00, 0x10, 0xFF, 0x10}) == wire);
    cv::LineReader r;
    auto got = r.feed(wire);
    REQUIRE(got.size() == 1);
    CHECK(got[0].data == Bytes{0x01, 0x00, 0x10, 0xFF, 0x10});
}

TEST_CASE("foxtron converter §4.1/§4.2/§4.13/§5: sends from the master", "[dali][foxtron]") {
    // §4.1 example: scene 0 to all (DALI 0xFF 0x10), type 1.
    auto s1 = read_send({0x01, 0x00, 0x10, 0xFF, 0x10});
    CHECK(s1.type == fx::type::send);
    CHECK(s1.message == cv::DaliBits{16, 0xFF10});
    CHECK_FALSE(s1.twice);
    // §4.2 example: the same with sender differentiation, parameter 0.
    auto s11 = read_send({0x0B, 0x00, 0x10, 0xFF, 0x10, 0x00});
    CHECK(s11.type == fx::type::send_tracked);
    CHECK(s11.message == cv::DaliBits{16, 0xFF10});
    CHECK_FALSE(s11.twice);
    // §4.2 parameter: bit 0 "2x", bit 1 "S".
    auto twice = read_send({0x0B, 0x00, 0x10, 0x03, 0x2C, 0x03});
    CHECK(twice.twice);
    CHECK(twice.sequence);
    // §4.1: 17 bits 1 00100011 01000101 are the bytes 0x01 0x23 0x45.
    CHECK(read_send({0x0B, 0x03, 17, 0x01, 0x23, 0x45, 0x00}).message == cv::DaliBits{17, 0x012345});
    CHECK(read_send({0x0B, 0x00, 64, 1, 2, 3, 4, 5, 6, 7, 8, 0x00}).message ==
          cv::DaliBits{64, 0x0102030405060708});
    // §4.13 example: continuous send (service message).
    CHECK(read_send({0x0C, 0x00, 0x10, 0xFF, 0x10}).type == fx::type::send_continuous);
    // §5 examples: level 50 % to address 1, group 2 off, scene 15 for all.
    CHECK(read_send({0x01, 0x00, 0x10, 0x02, 0x7F}).message == cv::DaliBits{16, 0x027F});
    CHECK(read_send({0x01, 0x00, 0x10, 0x85, 0x00}).message == cv::DaliBits{16, 0x8500});
    CHECK(read_send({0x01, 0x00, 0x10, 0xFF, 0x1F}).message == cv::DaliBits{16, 0xFF1F});
    // Refused (the converter answers event 6): bad priority, 0 or 65 bits, length off, padding set.
    CHECK_FALSE(cv::parse({0x0B, 0x06, 0x10, 0xFF, 0x10, 0x00}));
    CHECK_FALSE(cv::parse({0x0B, 0x00, 0x00, 0x00}));
    CHECK_FALSE(cv::parse({0x0B, 0x00, 65, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0}));
    CHECK_FALSE(cv::parse({0x0B, 0x00, 0x10, 0xFF, 0x10}));
    CHECK_FALSE(cv::parse({0x01, 0x00, 0x10, 0xFF, 0x10, 0x00}));
    CHECK_FALSE(cv::parse({0x0B, 0x00, 17, 0x03, 0x23, 0x45, 0x00}));
    CHECK_FALSE(cv::parse({0x02, 0x00}));
}

TEST_CASE("foxtron converter §4.7/§4.9/§4.12: configuration and sequences", "[dali][foxtron]") {
    auto q = read_one(cv::to_line({0x06, 0x02}));  // §4.7 example: firmware version
    REQUIRE(std::holds_alternative<cv::ConfigQuery>(q));
    CHECK(std::get<cv::ConfigQuery>(q).item == fx::item::firmware);
    auto c = read_one(cv::to_line({0x08, 0x04, 0x00, 0x00}));  // §4.9 example: clear the buffer
    REQUIRE(std::holds_alternative<cv::ConfigChange>(c));
    CHECK(std::get<cv::ConfigChange>(c).item == fx::item::buffered);
    CHECK(std::get<cv::ConfigChange>(c).value == 0);
    CHECK(std::holds_alternative<cv::EndOfSequence>(read_one(cv::to_line({0x0A, 0x00}))));  // §4.12 example
}

TEST_CASE("foxtron converter §4.3-§4.6: reports of frames on the bus, byte for byte", "[dali][foxtron]") {
    const cv::DaliBits lamp_failure_12{16, 0x1992}, lamp_failure_all{16, 0xFF92};
    // §4.3 and §4.4 examples: answered YES; unreadable answer to the broadcast.
    CHECK(cv::answered(false, lamp_failure_12, 0xFF) == Bytes{0x03, 0x10, 0x19, 0x92, 0x08, 0xFF});
    CHECK(cv::answered(false, lamp_failure_all, std::nullopt) == Bytes{0x03, 0x10, 0xFF, 0x92, 0x00});
    CHECK(cv::answered(true, lamp_failure_12, 0xFF) == Bytes{0x0D, 0x10, 0x19, 0x92, 0x08, 0xFF});
    CHECK(cv::answered(true, lamp_failure_all, std::nullopt) == Bytes{0x0D, 0x10, 0xFF, 0x92, 0x00});
    // §4.5 and §4.6 examples: no answer.
    CHECK(cv::unanswered(false, lamp_failure_12) == Bytes{0x04, 0x10, 0x19, 0x92});
    CHECK(cv::unanswered(true, lamp_failure_12) == Bytes{0x0E, 0x10, 0x19, 0x92});
    // §4.5/4.6: data length 0 = unreadable message, no data bytes.
    CHECK(cv::unanswered(true, {0, 0}) == Bytes{0x0E, 0x00});
    // §4.1: other lengths, most significant byte first.
    CHECK(cv::unanswered(true, {17, 0x012345}) == Bytes{0x0E, 17, 0x01, 0x23, 0x45});
    CHECK(cv::answered(true, {24, 0xC10203}, 0x55) == Bytes{0x0D, 24, 0xC1, 0x02, 0x03, 0x08, 0x55});
    // docek/ha-foxtron-dali commit c685cc4: a live DALI2net answered QUERY ACTUAL LEVEL(short 1) with
    // 0D 10 03 A0 08 00.
    CHECK(cv::answered(true, {16, 0x03A0}, 0x00) == Bytes{0x0D, 0x10, 0x03, 0xA0, 0x08, 0x00});
}

TEST_CASE("foxtron converter §4.8/§4.10/§4.11: its own messages, byte for byte", "[dali][foxtron]") {
    CHECK(cv::config_value(fx::item::firmware, 0x0102) == Bytes{0x07, 0x02, 0x01, 0x02});  // §4.8
    // §4.10 examples: buffer cleared; bus power status is read only.
    CHECK(cv::change_confirmation({fx::item::buffered, 0}, fx::change::done) ==
          Bytes{0x09, 0x04, 0x00, 0x00, 0x00});
    CHECK(cv::change_confirmation({fx::item::bus_power, 2}, fx::change::read_only) ==
          Bytes{0x09, 0x03, 0x00, 0x02, 0x01});
    CHECK(cv::special(fx::event::power_loss) == Bytes{0x05, 0x01});  // §4.11 example
}

TEST_CASE("foxtron converter §1: what it refuses from the line", "[dali][foxtron]") {
    cv::LineReader r;
    auto corrupt = [&](const std::string& chars) {
        auto got = r.feed(chars);
        return got.size() == 1 && got[0].corrupt;
    };
    CHECK(r.feed("noise before SOH is skipped").empty());
    CHECK(
        corrupt("\x01"
                "0602F8\x17"));  // checksum
    CHECK(
        corrupt("\x01"
                "0602f7\x17"));  // §1: upper case only
    CHECK(
        corrupt("\x01"
                "06F9\x17"));                              // §1: at least 4 data characters
    CHECK(corrupt("\x01" + std::string(29, '0')));         // §1: at most 26 + 2
    CHECK(r.feed(std::string(10, '0') + "\x17").empty());  // the rest of it is skipped up to the next SOH
    auto cut = r.feed(
        "\x01"
        "06" +
        cv::to_line({0x06, 0x02}));  // cut short, then a good one
    REQUIRE(cut.size() == 2);
    CHECK(cut[0].corrupt);
    CHECK(cut[1].data == Bytes{0x06, 0x02});
}
