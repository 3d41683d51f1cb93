#include "drivers/modbus/decoding.hpp"

#include <bit>
#include <cmath>
#include <limits>

namespace lykta::modbus {
namespace {

std::uint16_t swap_bytes(std::uint16_t w) {
    return static_cast<std::uint16_t>((w << 8) | (w >> 8));
}

bool swapped_bytes(WordOrder order) {
    return order == WordOrder::badc || order == WordOrder::dcba;
}
bool low_word_first(WordOrder order) {
    return order == WordOrder::cdab || order == WordOrder::dcba;
}

std::uint16_t word16(WordOrder order, std::uint16_t w) {
    return swapped_bytes(order) ? swap_bytes(w) : w;
}

// The 32-bit pattern ABCD from two registers as the device stores them.
std::uint32_t word32(WordOrder order, std::uint16_t first, std::uint16_t second) {
    std::uint16_t high = low_word_first(order) ? second : first;
    std::uint16_t low = low_word_first(order) ? first : second;
    if (swapped_bytes(order)) {
        high = swap_bytes(high);
        low = swap_bytes(low);
    }
    return (static_cast<std::uint32_t>(high) << 16) | low;
}

void split32(WordOrder order, std::uint32_t pattern, std::vector<std::uint16_t>& out) {
    std::uint16_t high = static_cast<std::uint16_t>(pattern >> 16);
    std::uint16_t low = static_cast<std::uint16_t>(pattern & 0xFFFF);
    if (swapped_bytes(order)) {
        high = swap_bytes(high);
        low = swap_bytes(low);
    }
    if (low_word_first(order))
        out = {low, high};
    else
        out = {high, low};
}

}  // namespace

std::string_view to_string(DecodeError error) {
    switch (error) {
        case DecodeError::none:
            return "ok";
        case DecodeError::short_data:
            return "short response";
        case DecodeError::not_finite:
            return "not a finite number";
        case DecodeError::out_of_range:
            return "out of range";
    }
    return "?";
}

Decoded raw_value(DataType type, WordOrder order, std::span<const std::uint16_t> words) {
    if (words.size() < static_cast<std::size_t>(width_of(type))) return {0, DecodeError::short_data};
    switch (type) {
        case DataType::bit:
            return {words[0] != 0 ? 1.0 : 0.0};
        case DataType::u16:
            return {static_cast<double>(word16(order, words[0]))};
        case DataType::s16:
            return {static_cast<double>(static_cast<std::int16_t>(word16(order, words[0])))};
        case DataType::u32:
            return {static_cast<double>(word32(order, words[0], words[1]))};
        case DataType::s32:
            return {static_cast<double>(static_cast<std::int32_t>(word32(order, words[0], words[1])))};
        case DataType::f32: {
            float f = std::bit_cast<float>(word32(order, words[0], words[1]));
            if (!std::isfinite(f)) return {0, DecodeError::not_finite};
            return {static_cast<double>(f)};
        }
    }
    return {0, DecodeError::short_data};
}

namespace {
Decoded checked(const ValueSpec& spec, double value) {
    if (!std::isfinite(value)) return {0, DecodeError::not_finite};
    if ((spec.min && value < *spec.min) || (spec.max && value > *spec.max))
        return {value, DecodeError::out_of_range};
    return {value};
}
}  // namespace

Decoded decode_registers(const ValueSpec& spec, std::span<const std::uint16_t> words) {
    auto raw = raw_value(spec.type, spec.order, words);
    if (!raw.ok()) return raw;
    return checked(spec, raw.value * spec.scale);
}

Decoded decode_bit(const ValueSpec& spec, bool bit) {
    return checked(spec, bit ? 1.0 : 0.0);
}

Encoded encode_value(const ValueSpec& spec, double value) {
    Encoded out;
    if (!std::isfinite(value)) {
        out.error = "not a finite number";
        return out;
    }
    if ((spec.min && value < *spec.min) || (spec.max && value > *spec.max)) {
        out.error = "outside the value's range";
        return out;
    }
    if (spec.type == DataType::bit) {
        if (value != 0 && value != 1) out.error = "an on/off value takes 0/1 or false/true";
        out.bit = value != 0;
        return out;
    }
    double raw = value / spec.scale;
    if (spec.type == DataType::f32) {
        if (std::fabs(raw) > std::numeric_limits<float>::max()) {
            out.error = "too large for a 32-bit float";
            return out;
        }
        split32(spec.order, std::bit_cast<std::uint32_t>(static_cast<float>(raw)), out.words);
        return out;
    }
    double rounded = std::nearbyint(raw);
    double lo = 0, hi = 0;
    switch (spec.type) {
        case DataType::u16:
            hi = 65535;
            break;
        case DataType::s16:
            lo = -32768;
            hi = 32767;
            break;
        case DataType::u32:
            hi = 4294967295.0;
            break;
        case DataType::s32:
            lo = -2147483648.0;
            hi = 2147483647.0;
            break;
        default:
            break;
    }
    if (rounded < lo || rounded > hi) {
        out.error = "does not fit a " + std::string(to_string(spec.type));
        return out;
    }
    if (width_of(spec.type) == 1) {
        auto w = static_cast<std::uint16_t>(static_cast<std::int32_t>(rounded) & 0xFFFF);
        out.words = {word16(spec.order, w)};
    } else {
        auto pattern = spec.type == DataType::s32
                           ? static_cast<std::uint32_t>(static_cast<std::int32_t>(rounded))
                           : static_cast<std::uint32_t>(rounded);
        split32(spec.order, pattern, out.words);
    }
    return out;
}

}  // namespace lykta::modbus
