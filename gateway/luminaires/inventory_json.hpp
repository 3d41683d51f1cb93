#pragma once
// JSON forms of the asset inventory (docs/mqtt-api.md: inventory/get,
// inventory/read, the inventory.mismatch event). Unknown values are null,
// never zero or "", so the platform can tell "not given" from a value.
#include <optional>

#include <nlohmann/json.hpp>

#include "drivers/dali/inventory.hpp"
#include "gateway/config/model.hpp"
#include "gateway/luminaires/inventory_record.hpp"

namespace lykta::luminaires {

// {"lat","lon","street"}; null when the luminaire has no location.
nlohmann::json location_json(const config::Location& location);
// {"gtin":"13 digits","identification":"16 hex","firmware":"1.2","luminaire_data":{...}|null}
nlohmann::json identity_json(const dali::GearInventory& gear);
// Bank 1 (part 251): {"gtin","luminaire_id","year","week","nominal_power_w","light_output_lm","cct_k"}.
nlohmann::json luminaire_data_json(const dali::LuminaireData& data);
// The inverse, for the store; members that are missing or of the wrong type stay unknown.
dali::LuminaireData luminaire_data_from_json(const nlohmann::json& j);
// One inventory/get entry: binding, current identity (flat), first identity, read times.
nlohmann::json record_json(const InventoryRecord& record);
// An entry for a configured luminaire that was never read: the binding, identity null.
nlohmann::json unread_json(const config::Luminaire& luminaire);

}  // namespace lykta::luminaires
