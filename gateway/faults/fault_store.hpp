#pragma once
// Fault history in SQLite (component "faults"): one row per fault, updated on
// acknowledge and clear. Cleared faults older than the retention are pruned.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "gateway/faults/fault.hpp"
#include "gateway/store/database.hpp"

namespace lykta::faults {

class FaultStore {
public:
    explicit FaultStore(store::Database& db);  // applies the migrations

    // Returns the new fault's number (its stable id).
    std::int64_t insert(const Fault& fault);
    // The number the next insert will most likely get (read only: works on a full disk).
    std::int64_t next_number();
    void set_cleared(std::int64_t number, SystemTime at, const std::string& reason = {});
    void set_acknowledged(std::int64_t number, SystemTime at, const std::string& by, const std::string& note);
    std::optional<Fault> find(std::int64_t number);
    std::vector<Fault> active();
    // Newest first; `area` empty = all; at most `limit` rows.
    std::vector<Fault> history(const std::string& area, std::size_t limit);
    // Faults raised in [from, to), for statistics.
    std::vector<Fault> raised_between(SystemTime from, SystemTime to);
    // Deletes cleared faults whose clearing is older than `cutoff`; returns how many.
    int prune(SystemTime cutoff);

private:
    std::vector<Fault> query(const std::string& where, const std::vector<store::Value>& params);
    store::Database& db_;
};

}  // namespace lykta::faults
