#include "gateway/luminaires/inventory_record.hpp"

#include "gateway/luminaires/inventory_json.hpp"

namespace lykta::luminaires {
namespace {

// Fields the new read did not deliver (no answer mid-read, MASK) keep their recorded value.
dali::GearInventory merged(const dali::GearInventory& recorded, const dali::GearInventory& observed) {
    dali::GearInventory out = observed;
    if (!out.last_bank) out.last_bank = recorded.last_bank;
    if (!out.gtin) out.gtin = recorded.gtin;
    if (!out.firmware) out.firmware = recorded.firmware;
    if (!out.identification) out.identification = recorded.identification;
    if (!out.luminaire) out.luminaire = recorded.luminaire;
    return out;
}

}  // namespace

const char* to_string(ReadOutcome outcome) {
    switch (outcome) {
        case ReadOutcome::first:
            return "first";
        case ReadOutcome::same:
            return "same";
        case ReadOutcome::mismatch:
            return "mismatch";
        case ReadOutcome::unreadable:
            return "unreadable";
    }
    return "unknown";
}

InventoryUpdate fold_read(const std::optional<InventoryRecord>& stored, const config::Luminaire& luminaire,
                          const dali::GearInventory& observed, SystemTime now) {
    InventoryUpdate u;
    InventoryRecord& r = u.record;
    if (stored) r = *stored;
    r.luminaire = luminaire.id;
    r.bus = luminaire.bus;
    r.address = luminaire.address;
    r.area = luminaire.area;
    r.location = luminaire.location;
    r.attempted_at = now;
    r.problem = observed.problem;

    if (!observed.answered) {
        u.outcome = ReadOutcome::unreadable;
        if (r.problem.empty()) r.problem = "bank 0 not readable";
        return u;
    }
    if (!r.has_identity()) {
        u.outcome = ReadOutcome::first;
        r.first = observed;
        r.first_read_at = now;
        r.current = observed;
        r.read_at = now;
        return u;
    }
    const auto compared = dali::compare_inventory(r.current, observed);
    r.read_at = now;
    if (compared.result == dali::InventoryCompare::Result::same) {
        u.outcome = ReadOutcome::same;
        r.current = merged(r.current, observed);
        return u;
    }
    u.outcome = ReadOutcome::mismatch;
    u.differences = compared.differences;
    u.event = {{"type", "inventory.mismatch"},
               {"luminaire", r.luminaire},
               {"bus", r.bus},
               {"address", r.address},
               {"area", r.area},
               {"location", location_json(r.location)},
               {"old", identity_json(r.current)},
               {"new", identity_json(observed)},
               {"differences", u.differences}};
    r.current = observed;  // another gear: nothing of the old one carries over
    r.swaps += 1;
    r.changed_at = now;
    return u;
}

}  // namespace lykta::luminaires
