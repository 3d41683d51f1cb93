#pragma once
// Register words <-> engineering values, as pure functions. A value that is
// not a number, infinite, or outside the template's [min, max] is bad data:
// reported as such, never published.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "drivers/modbus/device_template.hpp"

namespace lykta::modbus {

enum class DecodeError { none, short_data, not_finite, out_of_range };
std::string_view to_string(DecodeError error);

struct Decoded {
    double value = 0;
    DecodeError error = DecodeError::none;
    bool ok() const { return error == DecodeError::none; }
};

// The raw (unscaled) number in `words`, which start at the value's address.
Decoded raw_value(DataType type, WordOrder order, std::span<const std::uint16_t> words);
// Raw value × scale, checked for finiteness and the spec's range.
Decoded decode_registers(const ValueSpec& spec, std::span<const std::uint16_t> words);
Decoded decode_bit(const ValueSpec& spec, bool bit);

struct Encoded {
    std::vector<std::uint16_t> words;  // empty for bit values; use `bit`
    bool bit = false;
    std::string error;  // why `value` cannot be written; empty when fine
    bool ok() const { return error.empty(); }
};
// The words to write so that the device holds `value` (already in
// engineering units, divided by scale here). Integers are rounded to nearest.
Encoded encode_value(const ValueSpec& spec, double value);

}  // namespace lykta::modbus
