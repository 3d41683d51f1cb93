#pragma once
// Compiled statements kept for reuse, keyed by their SQL text. Compiling is
// the costly part of a small SQLite call (4-5 % of the MQTT command path,
// docs/benchmarks.md); the same few dozen statements run again and again.
//
// Only idle statements live here: `take` hands one out and removes it, so a
// statement in use is never handed out twice (a second caller of the same SQL
// gets a fresh one). `give_back` resets it and clears its bindings, so nothing
// of one use leaks into the next. Owned by the event loop thread like the store.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3_stmt;

namespace lykta::store {

class StatementCache {
public:
    explicit StatementCache(std::size_t capacity) : capacity_(capacity) {}
    ~StatementCache() { clear(); }
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    // The idle statement compiled from exactly `sql`, removed from the cache, or
    // nullptr. `key` receives the SQL text either way (it comes back with give_back).
    sqlite3_stmt* take(std::string_view sql, std::string& key);
    // Resets `stmt` and keeps it under `sql`; finalises it instead when an idle
    // twin is already kept. When full, the least recently returned one goes.
    void give_back(std::string sql, sqlite3_stmt* stmt);
    // Finalises every idle statement (the connection closes after this).
    void clear();

    std::size_t size() const { return idle_.size(); }
    std::size_t capacity() const { return capacity_; }
    std::uint64_t hits() const { return hits_; }
    std::uint64_t misses() const { return misses_; }

private:
    struct TransparentHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct Idle {
        sqlite3_stmt* stmt = nullptr;
        std::uint64_t returned = 0;  // give_back counter: smaller = returned longer ago
    };
    void evict_oldest();

    std::size_t capacity_;
    std::unordered_map<std::string, Idle, TransparentHash, std::equal_to<>> idle_;
    std::uint64_t clock_ = 0;
    std::uint64_t hits_ = 0;
    std::uint64_t misses_ = 0;
};

}  // namespace lykta::store
