#include "gateway/store/database.hpp"

#include <sqlite3.h>

#include "gateway/store/statement_cache.hpp"

#include <chrono>
#include <filesystem>

namespace lykta::store {
namespace {

std::string describe(sqlite3* db, const std::string& path, const std::string& what) {
    return what + " (" + path + "): " + (db ? sqlite3_errmsg(db) : "out of memory");
}

}  // namespace

Database::Database(const std::string& path)
    : path_(path), cache_(std::make_shared<StatementCache>(statement_cache_capacity)) {
    if (path != ":memory:") {
        auto dir = std::filesystem::path(path).parent_path();
        std::error_code ec;
        if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    }
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        std::string message = describe(db_, path, "cannot open store");
        sqlite3_close(db_);
        throw StoreError(message);
    }
    sqlite3_busy_timeout(db_, 5000);
    try {
        // Before quick_check, which pulls every page of the file through the cache.
        exec("PRAGMA cache_size=-" + std::to_string(page_cache_kib));
        // quick_check reads every page: a torn or foreign file fails here, at
        // start, rather than in the middle of a night.
        {
            auto check = prepare("PRAGMA quick_check");
            if (!check.step() || check.column_text(0) != "ok")
                throw StoreCorrupt("store failed its integrity check (" + path + ")");
        }
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=NORMAL");
        exec("PRAGMA foreign_keys=ON");
        exec(
            "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT "
            "NULL)");
        exec("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    } catch (const StoreCorrupt&) {
        close();
        throw;
    } catch (const StoreError& e) {
        // A garbage file fails in the first prepare with SQLITE_NOTADB; a torn
        // page may show as SQLITE_CORRUPT. Everything else is not the file's fault.
        int code = sqlite3_errcode(db_) & 0xFF;
        close();
        if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) throw StoreCorrupt(e.what());
        throw;
    } catch (...) {
        close();
        throw;
    }
}

Database::~Database() {
    close();
}

void Database::close() {
    cache_->clear();
    // _v2: a statement still leased (a bug, but not one to crash on) keeps the
    // connection alive until it is finalised, instead of leaking it.
    sqlite3_close_v2(db_);
    db_ = nullptr;
}

void Database::exec(std::string_view sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        report(sqlite3_extended_errcode(db_), message);
        throw StoreError("store (" + path_ + "): " + message + " in: " + std::string(sql.substr(0, 120)));
    }
}

Statement Database::prepare(std::string_view sql) {
    std::string key;
    if (sqlite3_stmt* idle = cache_->take(sql, key))
        return Statement(db_, idle, std::move(key), this, cache_);
    Statement fresh(db_, sql, this);
    fresh.cache_ = cache_;
    fresh.sql_ = std::move(key);
    return fresh;
}
std::int64_t Database::last_insert_id() const {
    return sqlite3_last_insert_rowid(db_);
}
int Database::changes() const {
    return sqlite3_changes(db_);
}

void Database::report(int result_code, const std::string& what) {
    if (failure_listener_ && is_storage_failure(result_code)) failure_listener_(path_ + ": " + what);
}

bool is_storage_failure(int result_code) {
    switch (result_code & 0xFF) {
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_READONLY:
            return true;
        default:
            return false;
    }
}

void Database::transaction(const std::function<void()>& fn) {
    exec("BEGIN IMMEDIATE");
    try {
        fn();
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

int Database::schema_version(const std::string& component) {
    auto q = prepare("SELECT version FROM schema_version WHERE component = ?");
    q.bind_all(component);
    return q.step() ? static_cast<int>(q.column_int(0)) : 0;
}

void Database::migrate(const std::string& component, const std::vector<std::string>& steps) {
    int current = schema_version(component);
    if (current > static_cast<int>(steps.size()))
        throw StoreError("store (" + path_ + "): schema of '" + component + "' is version " +
                         std::to_string(current) + ", newer than this lyktad knows (" +
                         std::to_string(steps.size()) + ")");
    for (int v = current; v < static_cast<int>(steps.size()); ++v) {
        transaction([&] {
            exec(steps[static_cast<std::size_t>(v)]);
            auto up = prepare(
                "INSERT INTO schema_version(component, version) VALUES(?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version = excluded.version");
            up.bind_all(component, static_cast<std::int64_t>(v + 1));
            up.step();
        });
    }
}

std::optional<std::string> Database::get(const std::string& key) {
    auto q = prepare("SELECT value FROM kv WHERE key = ?");
    q.bind_all(key);
    if (!q.step()) return std::nullopt;
    return q.column_text(0);
}

void Database::put(const std::string& key, const std::string& value) {
    auto q = prepare(
        "INSERT INTO kv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    q.bind_all(key, value);
    q.step();
}

std::int64_t Database::increment(const std::string& key, std::int64_t by) {
    std::int64_t result = 0;
    transaction([&] {
        auto current = get(key);
        result = (current ? std::stoll(*current) : 0) + by;
        put(key, std::to_string(result));
    });
    return result;
}

std::unique_ptr<Database> open_or_recover(const std::string& path, std::string* moved_to) {
    try {
        return std::make_unique<Database>(path);
    } catch (const StoreCorrupt&) {
        if (path == ":memory:") throw;
        auto stamp = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
        std::string aside = path + ".corrupt-" + std::to_string(stamp);
        std::filesystem::rename(path, aside);
        for (const char* suffix : {"-wal", "-shm"}) {
            std::error_code ec;
            std::filesystem::rename(path + suffix, aside + suffix, ec);
        }
        if (moved_to) *moved_to = aside;
        return std::make_unique<Database>(path);
    }
}

}  // namespace lykta::store
