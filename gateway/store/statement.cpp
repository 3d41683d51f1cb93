#include <sqlite3.h>

#include <utility>

#include "gateway/store/database.hpp"
#include "gateway/store/statement_cache.hpp"

namespace lykta::store {

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
        throw StoreError("cannot prepare '" + std::string(sql) + "': " + sqlite3_errmsg(db));
}

Statement::Statement(sqlite3* db, std::string_view sql, Database* owner) : Statement(db, sql) {
    owner_ = owner;
}

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql, Database* owner,
                     std::weak_ptr<StatementCache> cache)
    : db_(db), stmt_(stmt), owner_(owner), cache_(std::move(cache)), sql_(std::move(sql)) {}

Statement::Statement(Statement&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)),
      stmt_(std::exchange(o.stmt_, nullptr)),
      owner_(std::exchange(o.owner_, nullptr)),
      cache_(std::move(o.cache_)),
      sql_(std::move(o.sql_)) {}

Statement& Statement::operator=(Statement&& o) noexcept {
    if (this != &o) {
        release();
        db_ = std::exchange(o.db_, nullptr);
        stmt_ = std::exchange(o.stmt_, nullptr);
        owner_ = std::exchange(o.owner_, nullptr);
        cache_ = std::move(o.cache_);
        sql_ = std::move(o.sql_);
    }
    return *this;
}

Statement::~Statement() {
    release();
}

void Statement::release() {
    sqlite3_stmt* stmt = std::exchange(stmt_, nullptr);
    if (!stmt) return;
    if (auto cache = cache_.lock(); cache && !sql_.empty()) {
        try {
            cache->give_back(std::move(sql_), stmt);
            return;
        } catch (...) {  // out of memory for the cache entry: it only costs a recompile
        }
    }
    sqlite3_finalize(stmt);
}

Statement& Statement::bind(int index, const Value& value) {
    int rc = std::visit(
        [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) return sqlite3_bind_null(stmt_, index);
            if constexpr (std::is_same_v<T, std::int64_t>) return sqlite3_bind_int64(stmt_, index, v);
            if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt_, index, v);
            if constexpr (std::is_same_v<T, std::string>)
                return sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()),
                                         SQLITE_TRANSIENT);
        },
        value);
    if (rc != SQLITE_OK) throw StoreError(std::string("cannot bind parameter: ") + sqlite3_errmsg(db_));
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    std::string what = std::string("sqlite step failed: ") + sqlite3_errmsg(db_);
    if (owner_) owner_->report(rc, what);
    throw StoreError(what);
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int col) const {
    return sqlite3_column_int64(stmt_, col);
}
double Statement::column_double(int col) const {
    return sqlite3_column_double(stmt_, col);
}
bool Statement::column_is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
std::string Statement::column_text(int col) const {
    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
                : std::string();
}

}  // namespace lykta::store
