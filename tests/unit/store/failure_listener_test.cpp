#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <string>
#include <vector>

#include "gateway/store/database.hpp"

using lykta::store::Database;
using lykta::store::StoreError;

// PRAGMA query_only makes every write fail with SQLITE_READONLY, as a
// file system remounted read-only does: a storage failure without a full disk.
TEST_CASE("a write the medium refuses is told to the failure listener before it throws") {
    Database db(":memory:");
    std::vector<std::string> told;
    db.set_failure_listener([&](const std::string& what) { told.push_back(what); });
    db.exec("PRAGMA query_only = 1");

    CHECK_THROWS_AS(db.put("k", "v"), StoreError);
    REQUIRE(told.size() == 1);
    CHECK(told[0].find(":memory:") != std::string::npos);
    CHECK(told[0].find("readonly") != std::string::npos);

    CHECK_THROWS_AS(db.exec("CREATE TABLE t (x INTEGER)"), StoreError);  // exec reports too
    CHECK(told.size() == 2);

    db.exec("PRAGMA query_only = 0");
    db.put("k", "v");
    CHECK(told.size() == 2);
}

TEST_CASE("errors of the statement itself are not storage failures") {
    Database db(":memory:");
    int told = 0;
    db.set_failure_listener([&](const std::string&) { ++told; });
    db.exec("CREATE TABLE t (x INTEGER UNIQUE)");
    db.exec("INSERT INTO t VALUES (1)");
    CHECK_THROWS_AS(db.exec("INSERT INTO t VALUES (1)"), StoreError);  // constraint
    auto insert = db.prepare("INSERT INTO t VALUES (1)");
    CHECK_THROWS_AS(insert.step(), StoreError);
    CHECK_THROWS_AS(db.exec("SELECT nonsense FROM nowhere"), StoreError);
    CHECK(told == 0);
}

TEST_CASE("storage failure codes are full disk, I/O errors and a read-only medium") {
    using lykta::store::is_storage_failure;
    CHECK(is_storage_failure(SQLITE_FULL));
    CHECK(is_storage_failure(SQLITE_IOERR));
    CHECK(is_storage_failure(SQLITE_IOERR_WRITE));
    CHECK(is_storage_failure(SQLITE_IOERR_FSYNC));
    CHECK(is_storage_failure(SQLITE_READONLY));
    CHECK_FALSE(is_storage_failure(SQLITE_CONSTRAINT));
    CHECK_FALSE(is_storage_failure(SQLITE_CORRUPT));
    CHECK_FALSE(is_storage_failure(SQLITE_BUSY));
    CHECK_FALSE(is_storage_failure(SQLITE_ERROR));
}
