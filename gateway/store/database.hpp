#pragma once
// The SQLite store: one file (WAL) for everything that must survive a power cut.
// Owned by the event loop thread. Each room versions its own tables with
// `migrate(component, steps)`, so rooms add schema without touching each other.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace lykta::store {

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The file is damaged or not an SQLite database at all (SQLITE_CORRUPT,
// SQLITE_NOTADB, a failed integrity check). Only this justifies moving the file
// aside: a full disk, a missing permission or a directory in the way are
// StoreError and leave the file alone.
class StoreCorrupt : public StoreError {
public:
    using StoreError::StoreError;
};

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

class Database;
class StatementCache;

// One compiled statement, owned by whoever holds it. One from Database::prepare
// is a lease on the store's statement cache: while held, no one else gets it;
// when it goes it returns to the cache reset and with its bindings cleared.
// It must not outlive its Database (the cache then finalises it instead).
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    // As above; a failing step is also reported to `owner`'s failure listener.
    Statement(sqlite3* db, std::string_view sql, Database* owner);
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Binds positional parameters (1-based) in order.
    Statement& bind(int index, const Value& value);
    template <class... Args>
    Statement& bind_all(const Args&... args) {
        int i = 1;
        (bind(i++, Value(args)), ...);
        return *this;
    }
    bool step();  // true while a row is available
    void reset();
    std::int64_t column_int(int col) const;
    double column_double(int col) const;
    std::string column_text(int col) const;
    bool column_is_null(int col) const;

private:
    friend class Database;
    // A lease: `stmt` (compiled from `sql`, maybe taken from `cache`) goes back there.
    Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql, Database* owner,
              std::weak_ptr<StatementCache> cache);
    void release();

    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    Database* owner_ = nullptr;
    std::weak_ptr<StatementCache> cache_;
    std::string sql_;  // the cache key; empty when not from the cache
};

class Database {
public:
    // Opens (creating if needed) the file; ":memory:" for tests. Sets WAL and
    // synchronous=NORMAL, and checks integrity; throws StoreError with the path on failure.
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::string& path() const { return path_; }
    void exec(std::string_view sql);
    // Compiles `sql`, or reuses an idle compiled copy from the statement cache
    // (keyed by the exact text: bind values, never format them into the SQL).
    Statement prepare(std::string_view sql);
    const StatementCache& statement_cache() const { return *cache_; }
    std::int64_t last_insert_id() const;
    int changes() const;

    // Runs fn inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK if it throws).
    void transaction(const std::function<void()>& fn);

    // Applies steps[v..] where v is the component's recorded version, each in a
    // transaction with the version bump. A database newer than the code is an error.
    void migrate(const std::string& component, const std::vector<std::string>& steps);
    int schema_version(const std::string& component);

    // Small persistent key/value (session counter, seq, schedule revision).
    std::optional<std::string> get(const std::string& key);
    void put(const std::string& key, const std::string& value);
    // Atomically increments an integer key (missing = 0) and returns the new value.
    std::int64_t increment(const std::string& key, std::int64_t by = 1);

    sqlite3* handle() { return db_; }

    // Told (with the error text) whenever a statement fails because the storage
    // under the file does: disk full, I/O error, read-only file system. Called
    // synchronously from inside the failing call, before it throws: defer real
    // work (the listener must not use the store re-entrantly). Empty = none.
    using FailureListener = std::function<void(const std::string& what)>;
    void set_failure_listener(FailureListener listener) { failure_listener_ = std::move(listener); }
    // Checks a result code of this connection; tells the listener if it is a storage failure.
    void report(int result_code, const std::string& what);

    // Idle compiled statements kept (distinct SQL texts; the project has a few dozen).
    static constexpr std::size_t statement_cache_capacity = 128;
    // SQLite's page cache of this connection, in KiB (its default is 2,000). The
    // kernel caches the file as well, so a miss costs a read from memory, not
    // from the medium; the default would let the cache grow with the fault
    // history, statistics and outbox up to 2 MB of the daemon's heap.
    static constexpr int page_cache_kib = 256;

private:
    void close();

    std::string path_;
    sqlite3* db_ = nullptr;
    FailureListener failure_listener_;
    std::shared_ptr<StatementCache> cache_;
};

// SQLITE_FULL, SQLITE_IOERR (any extended code), SQLITE_READONLY: the medium,
// not the statement, is at fault.
bool is_storage_failure(int result_code);

// Opens the store at `path`; if the file is corrupt or not a database
// (StoreCorrupt, nothing else), moves it aside to "<path>.corrupt-<unix time>" and starts a fresh one.
// `moved_to` tells where the old file went, so the caller can log it.
std::unique_ptr<Database> open_or_recover(const std::string& path, std::string* moved_to = nullptr);

}  // namespace lykta::store
