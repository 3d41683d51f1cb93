// Modbus TCP framing: the bytes a request goes out as, and every way an
// answer can be wrong (transaction, unit, function, lengths, exceptions)
// turned into an outcome with a message.
#include <catch2/catch.hpp>

#include "drivers/modbus/mbap.hpp"

using namespace lykta::modbus;
using Bytes = std::vector<std::uint8_t>;

namespace {

ReadRequest input(int address, int count) {
    return {RegisterType::input, address, count, {}};
}

// An answer ADU: MBAP header with a correct length field, then `pdu`.
Bytes answer(std::uint16_t transaction, std::uint8_t unit, const Bytes& pdu) {
    Bytes out{std::uint8_t(transaction >> 8),
              std::uint8_t(transaction),
              0,
              0,
              0,
              std::uint8_t(pdu.size() + 1),
              unit};
    out.insert(out.end(), pdu.begin(), pdu.end());
    return out;
}

}  // namespace

TEST_CASE("read requests go out as MBAP header + FC, address, count") {
    Bytes out;
    mbap::append_read(out, 0x1234, 7, input(0x0034, 76));
    CHECK(out == Bytes{0x12, 0x34, 0, 0, 0, 6, 7, 0x04, 0x00, 0x34, 0x00, 76});
    mbap::append_read(out, 1, 2, {RegisterType::coil, 3, 8, {}});
    REQUIRE(out.size() == 24);
    CHECK(Bytes(out.begin() + 12, out.end()) == Bytes{0, 1, 0, 0, 0, 6, 2, 0x01, 0, 3, 0, 8});
    CHECK(mbap::read_function(RegisterType::discrete_input) == 0x02);
    CHECK(mbap::read_function(RegisterType::holding) == 0x03);
}

TEST_CASE("writes go out as FC05/FC06, or FC15/FC16 when asked for multiple") {
    Bytes out;
    WriteRequest coil{RegisterType::coil, 4, {}, true, false};
    mbap::append_write(out, 9, 2, coil);
    CHECK(out == Bytes{0, 9, 0, 0, 0, 6, 2, 0x05, 0, 4, 0xFF, 0x00});
    out.clear();
    coil.multiple = true;
    mbap::append_write(out, 9, 2, coil);
    CHECK(out == Bytes{0, 9, 0, 0, 0, 8, 2, 0x0F, 0, 4, 0, 1, 1, 1});
    out.clear();
    WriteRequest reg{RegisterType::holding, 1, {0xBEEF}, false, false};
    mbap::append_write(out, 9, 2, reg);
    CHECK(out == Bytes{0, 9, 0, 0, 0, 6, 2, 0x06, 0, 1, 0xBE, 0xEF});
    out.clear();
    reg.words = {1, 2};
    mbap::append_write(out, 9, 2, reg);
    CHECK(out == Bytes{0, 9, 0, 0, 0, 11, 2, 0x10, 0, 1, 0, 2, 4, 0, 1, 0, 2});
}

TEST_CASE("the frame size comes from the header; a header that is no Modbus TCP is refused") {
    std::string error;
    const Bytes frame = answer(5, 1, {0x04, 2, 0x12, 0x34});
    CHECK(mbap::frame_size(std::span(frame).first(6), error) == 0);
    CHECK(mbap::frame_size(frame, error) == 11);
    Bytes other_protocol = frame;
    other_protocol[3] = 1;
    CHECK(mbap::frame_size(other_protocol, error) == -1);
    CHECK(error == "protocol id 1, not Modbus (0)");
    Bytes too_long = frame;
    too_long[4] = 1;
    CHECK(mbap::frame_size(too_long, error) == -1);
    CHECK(error == "length field 261 outside 2..254");
    Bytes too_short = frame;
    too_short[5] = 1;
    CHECK(mbap::frame_size(too_short, error) == -1);
}

TEST_CASE("a good register answer decodes to its words, a bit answer to its bits") {
    ReadResult r;
    mbap::decode_read(answer(5, 1, {0x04, 4, 0x43, 0x66, 0x00, 0x01}), 5, 1, input(0, 2), r);
    CHECK(r.outcome == Outcome::ok);
    CHECK(r.words == std::vector<std::uint16_t>{0x4366, 0x0001});
    CHECK(r.error.empty());
    mbap::decode_read(answer(6, 2, {0x02, 2, 0b1000'0101, 0b0000'0001}), 6, 2,
                      {RegisterType::discrete_input, 0, 9, {}}, r);
    CHECK(r.outcome == Outcome::ok);
    CHECK(r.words.empty());
    CHECK(r.bits == std::vector<std::uint8_t>{1, 0, 1, 0, 0, 0, 0, 1, 1});
}

TEST_CASE("an exception answer carries its code and name") {
    ReadResult r;
    mbap::decode_read(answer(5, 1, {0x84, 0x02}), 5, 1, input(0, 2), r);
    CHECK(r.outcome == Outcome::exception);
    CHECK(r.exception_code == 2);
    CHECK(r.error == "exception 2 (illegal data address)");
    CHECK(r.words.empty());
    mbap::decode_read(answer(5, 1, {0x84}), 5, 1, input(0, 2), r);
    CHECK(r.outcome == Outcome::bad_response);
    CHECK(r.error == "exception response of 1 bytes");
}

TEST_CASE("answers that do not fit the request are bad responses that say why") {
    ReadResult r;
    auto decode = [&](const Bytes& frame) {
        mbap::decode_read(frame, 5, 1, input(0, 2), r);
        CHECK(r.outcome == Outcome::bad_response);
        CHECK(r.words.empty());
        return r.error;
    };
    CHECK(decode(answer(6, 1, {0x04, 4, 0, 0, 0, 0})) == "transaction id 6, expected 5");
    CHECK(decode(answer(5, 3, {0x04, 4, 0, 0, 0, 0})) == "answer from unit 3");
    CHECK(decode(answer(5, 1, {0x03, 4, 0, 0, 0, 0})) == "function 0x03, expected 0x04");
    CHECK(decode(answer(5, 1, {0x04, 2, 0, 0})) == "byte count 2 in a 4-byte answer, expected 4");
    CHECK(decode(answer(5, 1, {0x04, 4, 0, 0, 0})) == "byte count 4 in a 5-byte answer, expected 4");
    CHECK(decode(answer(5, 1, {0x04})) == "no byte count");
    Bytes wrong_length = answer(5, 1, {0x04, 4, 0, 0, 0, 0});
    wrong_length[5] = 9;
    CHECK(decode(wrong_length) == "length field 9 in a frame of 13 bytes");
    CHECK(decode(Bytes{0, 5, 0, 0, 0}) == "frame of 5 bytes");
}

TEST_CASE("a write is confirmed by its echo") {
    WriteRequest coil{RegisterType::coil, 4, {}, true, false};
    WriteResult w;
    mbap::decode_write(answer(9, 2, {0x05, 0, 4, 0xFF, 0}), 9, 2, coil, w);
    CHECK(w.outcome == Outcome::ok);
    mbap::decode_write(answer(9, 2, {0x05, 0, 5, 0xFF, 0}), 9, 2, coil, w);
    CHECK(w.outcome == Outcome::bad_response);
    CHECK(w.error == "echo for address 5");
    mbap::decode_write(answer(9, 2, {0x85, 1}), 9, 2, coil, w);
    CHECK(w.outcome == Outcome::exception);
    CHECK(w.exception_code == 1);
    CHECK(w.error == "exception 1 (illegal function)");
    mbap::decode_write(answer(9, 2, {0x05, 0, 4}), 9, 2, coil, w);
    CHECK(w.outcome == Outcome::bad_response);
    CHECK(w.error == "echo of 3 bytes, expected 5");
}
