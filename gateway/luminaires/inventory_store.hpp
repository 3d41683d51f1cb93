#pragma once
// The asset inventory in the SQLite store (component "inventory"): one row per
// luminaire with its binding, first and current gear identity and the last
// read. Loop thread only, like the Database it uses.
#include <map>
#include <string>
#include <vector>

#include "gateway/luminaires/inventory_record.hpp"
#include "gateway/store/database.hpp"

namespace lykta::luminaires {

class InventoryStore {
public:
    explicit InventoryStore(store::Database& db);  // migrates the schema

    std::map<std::string, InventoryRecord> load();  // by luminaire id
    // Upserts all records in one transaction (one bus read = one commit).
    void save(const std::vector<InventoryRecord>& records);

private:
    store::Database& db_;
};

}  // namespace lykta::luminaires
