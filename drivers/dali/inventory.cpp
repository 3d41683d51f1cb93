#include "drivers/dali/inventory.hpp"

#include <algorithm>
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

namespace {

// One job holds the bus for its whole run (the DTRs must not be clobbered in
// between), so runs are cut into jobs of at most this many reads: an actuation
// waits for at most one of them, 2 DTR frames + 8 reads = about 0.44 s at DALI
// timing, instead of 1.6 s for a whole bank 1 run.
constexpr int reads_per_job = 8;

// Reads `first..last` of `bank` one job at a time and hands `done` the replies
// in the layout of one run (the two DTR frames, then one reply per location).
struct ChunkedRun : std::enable_shared_from_this<ChunkedRun> {
    Scheduler* scheduler = nullptr;
    int address = 0;
    std::uint8_t bank = 0, next = 0, last = 0;
    std::vector<Reply> replies;
    std::function<void(std::vector<Reply>)> done;

    void submit_next() {
        const auto end = static_cast<std::uint8_t>(std::min<int>(last, next + reads_per_job - 1));
        scheduler->submit(Priority::bulk, read_run(address, bank, next, end),
                          [self = shared_from_this(), end](const std::vector<Reply>& r) {
                              if (self->replies.empty()) self->replies.assign(r.begin(), r.begin() + 2);
                              self->replies.insert(self->replies.end(), r.begin() + 2, r.end());
                              if (end >= self->last) return self->done(std::move(self->replies));
                              self->next = static_cast<std::uint8_t>(end + 1);
                              self->submit_next();
                          });
    }
};

void read_bank(Scheduler& scheduler, int address, std::uint8_t bank, std::uint8_t first, std::uint8_t last,
               std::function<void(std::vector<Reply>)> done) {
    auto run = std::make_shared<ChunkedRun>();
    run->scheduler = &scheduler;
    run->address = address;
    run->bank = bank;
    run->next = first;
    run->last = last;
    run->done = std::move(done);
    run->submit_next();
}

// Gear one after the other, so the sweep's polling jobs queue in between rather
// than behind the whole inventory.
struct InventoryRead : std::enable_shared_from_this<InventoryRead> {
    Scheduler* scheduler = nullptr;
    std::vector<int> addresses;
    std::vector<GearInventory> results;
    std::size_t next = 0;
    std::function<void(std::vector<GearInventory>)> done;

    void read_next() {
        if (next == addresses.size()) return done(std::move(results));
        const std::size_t i = next;
        const int a = addresses[i];
        auto self = shared_from_this();
        read_bank(*scheduler, a, 0, bank0_first, bank0_last, [self, i, a](std::vector<Reply> r) {
            self->results[i] = decode_bank0(a, r);
            const auto& last_bank = self->results[i].last_bank;
            if (!last_bank || *last_bank < 1) return self->advance();
            read_bank(*self->scheduler, a, 1, bank1_first, bank1_last, [self, i](std::vector<Reply> r1) {
                self->results[i].luminaire = decode_bank1(r1);
                self->advance();
            });
        });
    }
    void advance() {
        ++next;
        read_next();
    }
};

}  // namespace

void read_inventory(Bus& bus, std::vector<int> addresses,
                    std::function<void(std::vector<GearInventory>)> done) {
    auto read = std::make_shared<InventoryRead>();
    read->scheduler = &bus.scheduler();
    read->results.resize(addresses.size());
    read->addresses = std::move(addresses);
    read->done = std::move(done);
    read->read_next();
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
