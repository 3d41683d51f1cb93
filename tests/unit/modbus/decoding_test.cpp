// Register words -> values for every data type and word order, with vectors
// worked out by hand from IEEE 754 and two's complement.
#include <catch2/catch.hpp>

#include <vector>

#include "drivers/modbus/decoding.hpp"

using namespace lykta::modbus;
using W = std::vector<std::uint16_t>;

namespace {
ValueSpec spec(DataType type, WordOrder order = WordOrder::abcd, double scale = 1) {
    ValueSpec v;
    v.type = type;
    v.order = order;
    v.scale = scale;
    return v;
}
}  // namespace

TEST_CASE("float32 in every word order: 230.5 is 0x43668000") {
    CHECK(decode_registers(spec(DataType::f32, WordOrder::abcd), W{0x4366, 0x8000}).value == 230.5);
    CHECK(decode_registers(spec(DataType::f32, WordOrder::cdab), W{0x8000, 0x4366}).value == 230.5);
    CHECK(decode_registers(spec(DataType::f32, WordOrder::badc), W{0x6643, 0x0080}).value == 230.5);
    CHECK(decode_registers(spec(DataType::f32, WordOrder::dcba), W{0x0080, 0x6643}).value == 230.5);
    // -1.5 = 0xBFC00000
    CHECK(decode_registers(spec(DataType::f32), W{0xBFC0, 0x0000}).value == -1.5);
}

TEST_CASE("16-bit integers, signed and unsigned, with byte swap") {
    CHECK(decode_registers(spec(DataType::u16), W{0xFFFE}).value == 65534);
    CHECK(decode_registers(spec(DataType::s16), W{0xFFFE}).value == -2);
    CHECK(decode_registers(spec(DataType::s16), W{0x7FFF}).value == 32767);
    CHECK(decode_registers(spec(DataType::s16), W{0x8000}).value == -32768);
    CHECK(decode_registers(spec(DataType::u16, WordOrder::badc), W{0x3412}).value == 0x1234);
    CHECK(decode_registers(spec(DataType::u16, WordOrder::cdab), W{0x1234}).value == 0x1234);
}

TEST_CASE("32-bit integers in both word orders") {
    CHECK(decode_registers(spec(DataType::u32), W{0x0001, 0x0002}).value == 65538);
    CHECK(decode_registers(spec(DataType::u32, WordOrder::cdab), W{0x0002, 0x0001}).value == 65538);
    CHECK(decode_registers(spec(DataType::u32), W{0xFFFF, 0xFFFF}).value == 4294967295.0);
    CHECK(decode_registers(spec(DataType::s32), W{0xFFFF, 0xFFFE}).value == -2);
    CHECK(decode_registers(spec(DataType::s32, WordOrder::cdab), W{0xFFFE, 0xFFFF}).value == -2);
    CHECK(decode_registers(spec(DataType::s32, WordOrder::dcba), W{0xFEFF, 0xFFFF}).value == -2);
    CHECK(decode_registers(spec(DataType::s32), W{0x8000, 0x0000}).value == -2147483648.0);
}

TEST_CASE("scale is applied to the raw value") {
    CHECK(decode_registers(spec(DataType::u16, WordOrder::abcd, 0.1), W{2305}).value == Approx(230.5));
    CHECK(decode_registers(spec(DataType::s16, WordOrder::abcd, 0.01), W{0xFF9C}).value == Approx(-1.0));
    CHECK(decode_registers(spec(DataType::u32, WordOrder::abcd, 0.001), W{0x0001, 0x86A0}).value ==
          Approx(100.0));
}

TEST_CASE("NaN, infinity, short data and out-of-range values are rejected") {
    CHECK(decode_registers(spec(DataType::f32), W{0x7FC0, 0x0000}).error == DecodeError::not_finite);
    CHECK(decode_registers(spec(DataType::f32), W{0x7F80, 0x0000}).error == DecodeError::not_finite);
    CHECK(decode_registers(spec(DataType::f32), W{0xFF80, 0x0000}).error == DecodeError::not_finite);
    CHECK(decode_registers(spec(DataType::f32), W{0x4366}).error == DecodeError::short_data);
    auto ranged = spec(DataType::f32);
    ranged.min = 0;
    ranged.max = 1000;
    CHECK(decode_registers(ranged, W{0x4366, 0x8000}).ok());
    CHECK(decode_registers(ranged, W{0xBFC0, 0x0000}).error == DecodeError::out_of_range);
    CHECK(decode_registers(ranged, W{0x44FA, 0x2000}).error == DecodeError::out_of_range);  // 2001
    // Scaling into range and out of it: the check is on the published value.
    auto scaled = spec(DataType::u16, WordOrder::abcd, 10);
    scaled.max = 100;
    CHECK(decode_registers(scaled, W{10}).ok());
    CHECK(decode_registers(scaled, W{11}).error == DecodeError::out_of_range);
}

TEST_CASE("bits decode to 0/1") {
    CHECK(decode_bit(spec(DataType::bit), true).value == 1);
    CHECK(decode_bit(spec(DataType::bit), false).value == 0);
}

TEST_CASE("encoding is the inverse of decoding") {
    for (auto order : {WordOrder::abcd, WordOrder::badc, WordOrder::cdab, WordOrder::dcba}) {
        INFO(to_string(order));
        auto f = spec(DataType::f32, order);
        auto e = encode_value(f, 230.5);
        REQUIRE(e.ok());
        CHECK(decode_registers(f, e.words).value == 230.5);
        auto s = spec(DataType::s32, order, 0.1);
        e = encode_value(s, -123.4);
        REQUIRE(e.ok());
        CHECK(decode_registers(s, e.words).value == Approx(-123.4));
    }
    CHECK(encode_value(spec(DataType::f32), 230.5).words == W{0x4366, 0x8000});
    CHECK(encode_value(spec(DataType::s16), -2).words == W{0xFFFE});
    CHECK(encode_value(spec(DataType::bit), 1).bit);
    CHECK_FALSE(encode_value(spec(DataType::bit), 0).bit);
}

TEST_CASE("encoding refuses values the register cannot hold") {
    CHECK_FALSE(encode_value(spec(DataType::u16), 65536).ok());
    CHECK_FALSE(encode_value(spec(DataType::u16), -1).ok());
    CHECK_FALSE(encode_value(spec(DataType::s16), 32768).ok());
    CHECK_FALSE(encode_value(spec(DataType::bit), 2).ok());
    CHECK_FALSE(encode_value(spec(DataType::f32), 1e300).ok());
    auto ranged = spec(DataType::u16);
    ranged.max = 10;
    CHECK_FALSE(encode_value(ranged, 11).ok());
}
