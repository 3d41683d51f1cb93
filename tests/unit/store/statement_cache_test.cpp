#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "gateway/store/database.hpp"
#include "gateway/store/statement_cache.hpp"

using lykta::store::Database;
using lykta::store::StoreError;

namespace {
void fill(Database& db) {
    db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
    db.exec("INSERT INTO t VALUES ('a', 1), ('b', 2), ('c', 3)");
}
const char* by_key = "SELECT v FROM t WHERE k = ?";
}  // namespace

TEST_CASE("a statement prepared again is reused and gives the same results") {
    Database db(":memory:");
    fill(db);
    const auto& cache = db.statement_cache();
    const auto misses = cache.misses(), hits = cache.hits();
    std::vector<std::int64_t> first, second;
    for (auto* out : {&first, &second})
        for (const char* k : {"a", "c", "b"}) {
            auto q = db.prepare(by_key);
            q.bind_all(std::string(k));
            REQUIRE(q.step());
            out->push_back(q.column_int(0));
            CHECK_FALSE(q.step());
        }
    CHECK(first == std::vector<std::int64_t>{1, 3, 2});
    CHECK(second == first);
    CHECK(cache.misses() == misses + 1);  // compiled once
    CHECK(cache.hits() == hits + 5);
}

TEST_CASE("bindings of one use do not leak into the next") {
    Database db(":memory:");
    const char* pair = "SELECT ?1, ?2";
    {
        auto q = db.prepare(pair);
        q.bind_all(std::int64_t{7}, std::string("seven"));
        REQUIRE(q.step());
        CHECK(q.column_text(1) == "seven");
    }
    auto q = db.prepare(pair);
    CHECK(db.statement_cache().hits() >= 1);
    q.bind(1, std::int64_t{8});
    REQUIRE(q.step());
    CHECK(q.column_int(0) == 8);
    CHECK(q.column_is_null(1));  // not "seven"
}

TEST_CASE("a statement in use is not handed out twice") {
    Database db(":memory:");
    fill(db);
    const char* all = "SELECT k FROM t ORDER BY k";
    { auto warm = db.prepare(all); }  // one idle copy in the cache
    auto outer = db.prepare(all);
    REQUIRE(outer.step());
    CHECK(outer.column_text(0) == "a");
    {
        // Same SQL while `outer` is mid-iteration: its own cursor, from the start.
        auto inner = db.prepare(all);
        std::vector<std::string> keys;
        while (inner.step()) keys.push_back(inner.column_text(0));
        CHECK(keys == std::vector<std::string>{"a", "b", "c"});
    }
    REQUIRE(outer.step());
    CHECK(outer.column_text(0) == "b");  // undisturbed by `inner`
    REQUIRE(outer.step());
    CHECK(outer.column_text(0) == "c");
    CHECK_FALSE(outer.step());
}

TEST_CASE("a statement given back mid-iteration starts from the first row next time") {
    Database db(":memory:");
    fill(db);
    const char* all = "SELECT k FROM t ORDER BY k";
    {
        auto q = db.prepare(all);
        REQUIRE(q.step());
        REQUIRE(q.step());
        CHECK(q.column_text(0) == "b");
    }
    auto q = db.prepare(all);
    REQUIRE(q.step());
    CHECK(q.column_text(0) == "a");
}

TEST_CASE("a moved statement goes back to the cache once") {
    Database db(":memory:");
    fill(db);
    {
        auto a = db.prepare(by_key);
        auto b = std::move(a);
        auto c = db.prepare("SELECT 1");
        c = std::move(b);  // the SELECT 1 lease goes back here
        c.bind_all(std::string("b"));
        REQUIRE(c.step());
        CHECK(c.column_int(0) == 2);
    }
    CHECK(db.statement_cache().size() == 3);  // PRAGMA quick_check, SELECT 1, by_key
}

TEST_CASE("the cache is bounded and keeps the most recently used statements") {
    Database db(":memory:");
    const auto capacity = db.statement_cache().capacity();
    for (std::size_t i = 0; i < capacity + 40; ++i) {
        auto q = db.prepare("SELECT " + std::to_string(i));
        REQUIRE(q.step());
        CHECK(q.column_int(0) == static_cast<std::int64_t>(i));
    }
    CHECK(db.statement_cache().size() == capacity);
    const auto hits = db.statement_cache().hits();
    { auto newest = db.prepare("SELECT " + std::to_string(capacity + 39)); }
    CHECK(db.statement_cache().hits() == hits + 1);
    { auto oldest = db.prepare("SELECT 0"); }  // evicted: compiled again
    CHECK(db.statement_cache().hits() == hits + 1);
}

TEST_CASE("a cached statement survives a migration that changes its table") {
    Database db(":memory:");
    db.migrate("sample", {"CREATE TABLE sample (name TEXT NOT NULL)"});
    const char* insert = "INSERT INTO sample(name) VALUES(?)";
    db.prepare(insert).bind_all(std::string("before")).step();
    db.migrate("sample", {"CREATE TABLE sample (name TEXT NOT NULL)",
                          "ALTER TABLE sample ADD COLUMN note TEXT NOT NULL DEFAULT 'n'"});
    db.prepare(insert).bind_all(std::string("after")).step();  // recompiled by SQLite
    auto q = db.prepare("SELECT name, note FROM sample ORDER BY rowid");
    REQUIRE(q.step());
    CHECK(q.column_text(0) == "before");
    REQUIRE(q.step());
    CHECK(q.column_text(0) == "after");
    CHECK(q.column_text(1) == "n");
}

TEST_CASE("a cached statement that fails still tells the failure listener, and works again after") {
    Database db(":memory:");
    int told = 0;
    db.set_failure_listener([&](const std::string&) { ++told; });
    db.put("k", "1");  // the put statement is now cached
    db.exec("PRAGMA query_only = 1");
    CHECK_THROWS_AS(db.put("k", "2"), StoreError);
    CHECK(told == 1);
    db.exec("PRAGMA query_only = 0");
    db.put("k", "3");
    CHECK(db.get("k") == "3");
    CHECK(told == 1);
}

TEST_CASE("a file store closes cleanly with cached statements and reopens with the data") {
    auto path =
        std::filesystem::temp_directory_path() / ("lykta-cache-test-" + std::to_string(::getpid()) + ".db");
    {
        Database db(path.string());
        db.put("k", "v");
        CHECK(db.get("k") == "v");
        CHECK(db.statement_cache().size() >= 2);
    }
    {
        Database db(path.string());
        CHECK(db.get("k") == "v");
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}
