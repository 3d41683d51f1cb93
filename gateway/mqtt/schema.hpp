#pragma once
// The MQTT room's tables in the shared store, versioned with db.migrate("mqtt").
#include "gateway/store/database.hpp"

namespace lykta::mqtt {

// Idempotent; every class that touches the mqtt tables calls it first.
void migrate_schema(store::Database& db);

}  // namespace lykta::mqtt
