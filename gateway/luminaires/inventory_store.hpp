#pragma once
// The asset inventory in the SQLite store (component "inventory"): one row per
// luminaire with its binding, first and current gear identity and the last
// read. Loop thread only, like the Database it uses. The store is the only copy
// (no mirror in memory): 1,024 records would cost the daemon ~0.7 MB of RSS.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/luminaires/inventory_record.hpp"
#include "gateway/store/database.hpp"

namespace lykta::luminaires {

class InventoryStore {
public:
    explicit InventoryStore(store::Database& db);  // migrates the schema

    std::map<std::string, InventoryRecord> load();  // by luminaire id
    std::optional<InventoryRecord> find(const std::string& luminaire);
    // Upserts all records in one transaction (one bus read = one commit).
    void save(const std::vector<InventoryRecord>& records);

private:
    store::Database& db_;
};

}  // namespace lykta::luminaires
