#pragma once
// Asset inventory of DALI control gear: identity from memory bank 0
// (IEC 62386-102: 0x02 last bank, 0x03-0x08 GTIN, 0x09-0x0A firmware version,
// 0x0B-0x12 identification number) and, where the gear has it, luminaire data
// from bank 1 (DiiA part 251: 0x03-0x08 luminaire GTIN, 0x09-0x10 luminaire
// id, 0x13/0x14 year/week of manufacture, 0x15-0x16 nominal input power W,
// 0x1D-0x1F nominal light output lm, 0x21-0x22 CCT K). Read by DTR1 = bank,
// DTR0 = offset, then READ MEMORY LOCATION runs (auto-increment); values all
// ones (MASK) are "not given". Multi-byte values are big-endian.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "drivers/dali/scheduler.hpp"

namespace lykta::dali {

class Bus;

struct LuminaireData {  // bank 1
    std::optional<std::uint64_t> gtin;
    std::optional<std::uint64_t> luminaire_id;
    std::optional<int> year;  // 2000 + byte
    std::optional<int> week;
    std::optional<double> nominal_power_w;
    std::optional<std::uint32_t> light_output_lm;
    std::optional<std::uint16_t> cct_k;
    friend bool operator==(const LuminaireData&, const LuminaireData&) = default;
};

struct GearInventory {
    int address = 0;
    bool answered = false;  // bank 0 could be read
    std::optional<std::uint8_t> last_bank;
    std::optional<std::uint64_t> gtin;            // 48 bit; GTIN-13/14 as a decimal number
    std::optional<std::uint16_t> firmware;        // major << 8 | minor
    std::optional<std::uint64_t> identification;  // serial / identification number, 64 bit
    std::optional<LuminaireData> luminaire;       // bank 1, when implemented
    std::string problem;                          // why not answered / incomplete

    std::string gtin_text() const;            // 13 digits, zero-padded; "" when unknown
    std::string firmware_text() const;        // "1.2"; "" when unknown
    std::string identification_text() const;  // 16 hex digits; "" when unknown
};

// Job steps and their decoding, one job per bank (pure; tested without a bus).
std::vector<Step> bank0_read_steps(int address);
std::vector<Step> bank1_read_steps(int address);
GearInventory decode_bank0(int address, const std::vector<Reply>& replies);
std::optional<LuminaireData> decode_bank1(const std::vector<Reply>& replies);

// Reads bank 0 of each address and then bank 1 where bank 0 says it exists
// (last bank >= 1), at polling priority, one gear after the other and in jobs
// of at most 8 reads, so actuation and the status sweep get the bus between
// them. `done` gets one record per address,
// in the given order, on the bus's event loop (at once, inside the call, when
// `addresses` is empty). When the bus stops first, the queued reads fail and
// `done` gets unreadable records (answered = false).
void read_inventory(Bus& bus, std::vector<int> addresses,
                    std::function<void(std::vector<GearInventory>)> done);

// A recorded identity against what the gear says now.
struct InventoryCompare {
    enum class Result { same, mismatch, unreadable };
    Result result = Result::same;
    std::vector<std::string> differences;  // "gtin 0712345678901 -> 0712345678902"
};
// Only fields known on both sides count (an old record without bank 1 data
// does not make every D4i gear a mismatch). Firmware updates are a mismatch
// too: the record must be refreshed deliberately.
InventoryCompare compare_inventory(const GearInventory& recorded, const GearInventory& observed);

}  // namespace lykta::dali
