#include "gateway/store/statement_cache.hpp"

#include <sqlite3.h>

#include <utility>

namespace lykta::store {

sqlite3_stmt* StatementCache::take(std::string_view sql, std::string& key) {
    auto it = idle_.find(sql);
    if (it == idle_.end()) {
        ++misses_;
        key.assign(sql);
        return nullptr;
    }
    ++hits_;
    auto node = idle_.extract(it);
    key = std::move(node.key());
    return node.mapped().stmt;
}

void StatementCache::give_back(std::string sql, sqlite3_stmt* stmt) {
    if (!stmt) return;
    // A failed step leaves its error code in reset's result; it was reported
    // (and thrown) by that step already, and reset clears it for the next use.
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (capacity_ == 0 || idle_.count(sql) != 0) {
        sqlite3_finalize(stmt);
        return;
    }
    if (idle_.size() >= capacity_) evict_oldest();
    idle_.emplace(std::move(sql), Idle{stmt, ++clock_});
}

void StatementCache::evict_oldest() {
    auto oldest = idle_.begin();
    for (auto it = idle_.begin(); it != idle_.end(); ++it)
        if (it->second.returned < oldest->second.returned) oldest = it;
    if (oldest == idle_.end()) return;
    sqlite3_finalize(oldest->second.stmt);
    idle_.erase(oldest);
}

void StatementCache::clear() {
    for (auto& [sql, idle] : idle_) sqlite3_finalize(idle.stmt);
    idle_.clear();
}

}  // namespace lykta::store
