#include "drivers/dali/inventory.hpp"

#include <cstdio>
#include <memory>

#include "drivers/dali/bus.hpp"
#include "drivers/dali/commands.hpp"

namespace lykta::dali {
namespace {

constexpr std::uint8_t bank0_first = 0x02, bank0_last = 0x12;
constexpr std::uint8_t bank1_first = 0x03, bank1_last = 0x22;

std::vector<Step> read_run(int address, std::uint8_t bank, std::uint8_t first, std::uint8_t last) {
    std::vector<Step> steps;
    steps.push_back(step_for(special_command(special::dtr1, bank)));
    steps.push_back(step_for(special_command(special::dtr0, first)));
    const auto read = command(Address::short_address(address), op::read_memory_location);
    for (int offset = first; offset <= last; ++offset) steps.push_back(step_for(read));
    return steps;
}

// Bytes of a run by memory offset; replies[0..1] are the DTR frames.
struct Bytes {
    const std::vector<Reply>& replies;
    std::uint8_t first;
    std::optional<std::uint64_t> value(std::uint8_t offset, int width) const {
        std::uint64_t v = 0;
        bool all_ones = true;
        for (int k = 0; k < width; ++k) {
            const std::size_t i = 2 + (offset - first) + k;
            if (i >= replies.size() || !replies[i].has_value()) return std::nullopt;
            v = v << 8 | replies[i].value;
            all_ones = all_ones && replies[i].value == 0xFF;
        }
        if (all_ones) return std::nullopt;  // MASK: not given
        return v;
    }
};

std::string hex(std::uint64_t v, int digits) {
    char text[24];
    std::snprintf(text, sizeof text, "%0*llX", digits, static_cast<unsigned long long>(v));
    return text;
}

}  // namespace

std::vector<Step> bank0_read_steps(int address) {
    return read_run(address, 0, bank0_first, bank0_last);
}

std::vector<Step> bank1_read_steps(int address) {
    return read_run(address, 1, bank1_first, bank1_last);
}

GearInventory decode_bank0(int address, const std::vector<Reply>& replies) {
    GearInventory out;
    out.address = address;
    const Bytes b{replies, bank0_first};
    if (auto last = b.value(0x02, 1)) out.last_bank = static_cast<std::uint8_t>(*last);
    out.gtin = b.value(0x03, 6);
    if (auto fw = b.value(0x09, 2)) out.firmware = static_cast<std::uint16_t>(*fw);
    out.identification = b.value(0x0B, 8);
    out.answered = out.last_bank || out.gtin || out.firmware || out.identification;
    if (!out.answered)
        out.problem = "short address " + std::to_string(address) + ": bank 0 not readable";
    else if (!out.gtin || !out.identification)
        out.problem = "short address " + std::to_string(address) + ": bank 0 incomplete";
    return out;
}

std::optional<LuminaireData> decode_bank1(const std::vector<Reply>& replies) {
    const Bytes b{replies, bank1_first};
    LuminaireData d;
    d.gtin = b.value(0x03, 6);
    d.luminaire_id = b.value(0x09, 8);
    if (auto y = b.value(0x13, 1)) d.year = 2000 + static_cast<int>(*y);
    if (auto w = b.value(0x14, 1)) d.week = static_cast<int>(*w);
    if (auto p = b.value(0x15, 2)) d.nominal_power_w = static_cast<double>(*p);
    if (auto lm = b.value(0x1D, 3)) d.light_output_lm = static_cast<std::uint32_t>(*lm);
    if (auto k = b.value(0x21, 2)) d.cct_k = static_cast<std::uint16_t>(*k);
    if (d == LuminaireData{}) return std::nullopt;
    return d;
}

std::string GearInventory::gtin_text() const {
    if (!gtin) return {};
    std::string digits = std::to_string(*gtin);
    return digits.size() < 13 ? std::string(13 - digits.size(), '0') + digits : digits;
}

std::string GearInventory::firmware_text() const {
    if (!firmware) return {};
    return std::to_string(*firmware >> 8) + "." + std::to_string(*firmware & 0xFF);
}

std::string GearInventory::identification_text() const {
    return identification ? hex(*identification, 16) : std::string{};
}

void read_inventory(Bus& bus, std::vector<int> addresses,
                    std::function<void(std::vector<GearInventory>)> done) {
    struct State {
        std::vector<GearInventory> results;
        std::size_t remaining = 0;
        std::function<void(std::vector<GearInventory>)> done;
        void finish_one() {
            if (--remaining == 0) done(std::move(results));
        }
    };
    auto st = std::make_shared<State>();
    st->results.resize(addresses.size());
    st->remaining = addresses.size();
    st->done = std::move(done);
    if (addresses.empty()) {
        st->done({});
        return;
    }
    Scheduler* scheduler = &bus.scheduler();
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        const int a = addresses[i];
        scheduler->submit(Priority::polling, bank0_read_steps(a),
                          [st, i, a, scheduler](const std::vector<Reply>& r) {
                              st->results[i] = decode_bank0(a, r);
                              if (!st->results[i].last_bank || *st->results[i].last_bank < 1) {
                                  st->finish_one();
                                  return;
                              }
                              scheduler->submit(Priority::polling, bank1_read_steps(a),
                                                [st, i](const std::vector<Reply>& r1) {
                                                    st->results[i].luminaire = decode_bank1(r1);
                                                    st->finish_one();
                                                });
                          });
    }
}

InventoryCompare compare_inventory(const GearInventory& recorded, const GearInventory& observed) {
    InventoryCompare c;
    if (!observed.answered) {
        c.result = InventoryCompare::Result::unreadable;
        c.differences.push_back(observed.problem.empty() ? "bank 0 not readable" : observed.problem);
        return c;
    }
    auto field = [&](const char* name, const auto& a, const auto& b, auto text) {
        if (a && b && *a != *b)
            c.differences.push_back(std::string(name) + " " + text(recorded) + " -> " + text(observed));
    };
    field("gtin", recorded.gtin, observed.gtin, [](const GearInventory& g) { return g.gtin_text(); });
    field("identification", recorded.identification, observed.identification,
          [](const GearInventory& g) { return g.identification_text(); });
    field("firmware", recorded.firmware, observed.firmware,
          [](const GearInventory& g) { return g.firmware_text(); });
    if (recorded.luminaire && observed.luminaire) {
        const auto& r = *recorded.luminaire;
        const auto& o = *observed.luminaire;
        if (r.gtin && o.gtin && *r.gtin != *o.gtin)
            c.differences.push_back("luminaire gtin " + std::to_string(*r.gtin) + " -> " +
                                    std::to_string(*o.gtin));
        if (r.luminaire_id && o.luminaire_id && *r.luminaire_id != *o.luminaire_id)
            c.differences.push_back("luminaire id " + hex(*r.luminaire_id, 16) + " -> " +
                                    hex(*o.luminaire_id, 16));
    }
    if (!c.differences.empty()) c.result = InventoryCompare::Result::mismatch;
    return c;
}

}  // namespace lykta::dali
