// Any register words under any type, word order, scale and range decode to a
// value or a DecodeError; a decoded value re-encodes without crashing.
// Input layout: [type][order][scale: 8 bytes double][min?][max?] then words.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "drivers/modbus/decoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lykta::modbus;
    if (size < 11) return 0;
    ValueSpec spec;
    spec.type = static_cast<DataType>(data[0] % 6);
    spec.order = static_cast<WordOrder>(data[1] % 4);
    std::memcpy(&spec.scale, data + 2, sizeof(double));
    // The template loader admits only finite, non-zero scales within ±1e12.
    if (!std::isfinite(spec.scale) || spec.scale == 0 || std::fabs(spec.scale) > 1e12) return 0;
    if (data[10] & 1) spec.min = -1000.0;
    if (data[10] & 2) spec.max = 1000.0;
    std::vector<std::uint16_t> words;
    for (std::size_t at = 11; at + 1 < size; at += 2)
        words.push_back(std::uint16_t(data[at] << 8 | data[at + 1]));

    auto decoded = spec.type == DataType::bit ? decode_bit(spec, !words.empty() && words[0] != 0)
                                              : decode_registers(spec, words);
    (void)to_string(decoded.error);
    if (decoded.ok() && !std::isfinite(decoded.value)) __builtin_trap();  // bad data is never published
    if (decoded.ok()) (void)encode_value(spec, decoded.value);
    (void)encode_value(spec, spec.scale);  // arbitrary (also NaN / inf) values are refused, not written
    return 0;
}
