// Memory banks of the simulated gear: bank 0 (part 102 identity), 1 (part 251
// luminaire data, when set), 202 (part 252
// energy) and 205 (part 253 control gear diagnostics), layouts from python-dali
// dali/memory/*.py. Multi-byte values are big-endian; absent locations answer NO.
#include <cmath>

#include "lykta-sim/dali/sim_gear.hpp"

namespace lykta::dali {

std::optional<std::uint8_t> SimGear::memory(std::uint8_t bank, std::uint8_t offset, double now) {
    account(now);
    auto byte_of = [](std::uint64_t v, int index_from_msb, int width) {
        return static_cast<std::uint8_t>(v >> (8 * (width - 1 - index_from_msb)));
    };
    if (bank == 0) {  // part 102 bank 0: identity
        if (offset > 0x1A) return std::nullopt;
        if (offset == 0x00) return 0x1A;  // last accessible location
        if (offset == 0x02) return 205;   // last memory bank implemented
        if (offset >= 0x03 && offset <= 0x08) return byte_of(gtin, offset - 0x03, 6);
        if (offset >= 0x09 && offset <= 0x0A) return byte_of(firmware, offset - 0x09, 2);
        if (offset >= 0x0B && offset <= 0x12) return byte_of(serial, offset - 0x0B, 8);
        if (offset >= 0x15 && offset <= 0x17) return 0x08;  // parts 101/102/103 version 2.0
        return 0x00;
    }
    if (bank == 1) {  // part 251 luminaire data
        if (!bank1 || offset > 0x77) return std::nullopt;
        const auto& l = *bank1;
        if (offset == 0x00) return 0x77;
        if (offset >= 0x03 && offset <= 0x08) return byte_of(l.gtin, offset - 0x03, 6);
        if (offset >= 0x09 && offset <= 0x10) return byte_of(l.luminaire_id, offset - 0x09, 8);
        if (offset == 0x11) return 0x00;  // content format 0x0003
        if (offset == 0x12) return 0x03;
        if (offset == 0x13) return l.year;
        if (offset == 0x14) return l.week;
        if (offset >= 0x15 && offset <= 0x16) return byte_of(l.nominal_power_w, offset - 0x15, 2);
        if (offset >= 0x1D && offset <= 0x1F) return byte_of(l.light_output_lm, offset - 0x1D, 3);
        if (offset >= 0x21 && offset <= 0x22) return byte_of(l.cct_k, offset - 0x21, 2);
        return 0xFF;  // MASK: not given
    }
    if (bank == 202) {  // part 252 energy: Wh as 48 bit with 10^0 scale, power W as 32 bit
        if (offset > 0x0F) return std::nullopt;
        if (offset == 0x00) return 0x0F;
        if (offset == 0x03) return 0x01;  // bank version
        if (offset == 0x04 || offset == 0x0B) return 0x00;
        const auto wh = static_cast<std::uint64_t>(energy_wh);
        if (offset >= 0x05 && offset <= 0x0A) return byte_of(wh, offset - 0x05, 6);
        const std::uint8_t level = actual_level(now);
        const auto w = static_cast<std::uint64_t>(
            faults.lamp_failure ? 0 : std::lround(rated_w * percent_from_level(level, curve) / 100.0));
        if (offset >= 0x0C) return byte_of(w, offset - 0x0C, 4);
        return 0x00;
    }
    if (bank == 205) {  // part 253 control gear diagnostics
        if (offset > 0x1C) return std::nullopt;
        if (offset == 0x00) return 0x1C;
        if (offset == 0x03) return 0x01;
        if (offset >= 0x04 && offset <= 0x07)
            return byte_of(static_cast<std::uint64_t>(operating_s), offset - 0x04, 4);
        if (offset >= 0x08 && offset <= 0x0A) return byte_of(starts, offset - 0x08, 3);
        if (offset >= 0x0B && offset <= 0x0C) return byte_of(2300, offset - 0x0B, 2);  // 230.0 V
        if (offset == 0x0D) return 50;
        if (offset == 0x0E) return 95;
        if (offset == 0x0F) return faults.gear_failure ? 1 : 0;
        if (offset == 0x1B) return 25 + 60;  // 25 degC
        if (offset == 0x1C) return 100;
        return 0x00;
    }
    return std::nullopt;
}

}  // namespace lykta::dali
