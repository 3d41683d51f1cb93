#pragma once
// One luminaire's asset record (docs/dali.md, "Asset inventory in the daemon"):
// the configured binding (luminaire id, bus, short address, area, pole
// location), the gear identity first recorded for it, the identity it carries
// now, and what the last read found. `fold_read` is the pure step that folds a
// fresh read of memory banks 0/1 into the record and tells whether the gear
// was swapped.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/dali/inventory.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"

namespace lykta::luminaires {

struct InventoryRecord {
    std::string luminaire;
    std::string bus;
    int address = 0;
    std::string area;
    config::Location location;  // the pole, as configured at the last read
    // Identity when the luminaire was first read; kept for the asset history.
    dali::GearInventory first;
    std::optional<SystemTime> first_read_at;
    // Identity recorded now: the last answered read (a swap replaces it).
    dali::GearInventory current;
    std::optional<SystemTime> read_at;       // last answered read
    std::optional<SystemTime> attempted_at;  // last read, answered or not
    std::string problem;                     // of the last read; "" when it was complete
    int swaps = 0;                           // identity changes since the first read
    std::optional<SystemTime> changed_at;    // the last identity change

    bool has_identity() const { return read_at.has_value(); }
};

enum class ReadOutcome {
    first,       // no identity recorded before: this one is
    same,        // the recorded gear answered
    mismatch,    // another gear answers at the luminaire's address (swapped)
    unreadable,  // no answer: the record keeps its identity
};
const char* to_string(ReadOutcome outcome);

struct InventoryUpdate {
    InventoryRecord record;
    ReadOutcome outcome = ReadOutcome::same;
    std::vector<std::string> differences;  // for a mismatch: "gtin A -> B", ...
    nlohmann::json event;                  // the inventory.mismatch event; null otherwise
};

// Folds `observed` (read at `now` from the luminaire's configured bus/address)
// into `stored`. The binding always follows the config. A mismatch records the
// new identity, so the next read of the same gear is `same` again; a read that
// answered only in part never erases fields the record already knows.
InventoryUpdate fold_read(const std::optional<InventoryRecord>& stored, const config::Luminaire& luminaire,
                          const dali::GearInventory& observed, SystemTime now);

}  // namespace lykta::luminaires
