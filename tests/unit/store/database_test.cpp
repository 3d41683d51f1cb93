#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "gateway/store/database.hpp"

using lykta::store::Database;
namespace fs = std::filesystem;

namespace {
const std::vector<std::string> sample_steps{
    "CREATE TABLE sample (name TEXT NOT NULL)",
    "ALTER TABLE sample ADD COLUMN note TEXT NOT NULL DEFAULT ''",
};

fs::path temp_copy_dir() {
    auto dir = fs::temp_directory_path() / ("lykta-store-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}
}  // namespace

TEST_CASE("a fresh store migrates a component to its newest version") {
    Database db(":memory:");
    db.migrate("sample", sample_steps);
    CHECK(db.schema_version("sample") == 2);
    db.exec("INSERT INTO sample(name, note) VALUES('a', 'b')");
    auto q = db.prepare("SELECT count(*) FROM sample");
    REQUIRE(q.step());
    CHECK(q.column_int(0) == 1);
}

TEST_CASE("an old-schema store file is migrated and keeps its data") {
    auto dir = temp_copy_dir();
    auto path = dir / "old.db";
    fs::copy_file(fs::path(LYKTA_TEST_DATA) / "store/sample-v1.db", path, fs::copy_options::overwrite_existing);
    {
        Database db(path.string());
        CHECK(db.schema_version("sample") == 1);
        db.migrate("sample", sample_steps);
        CHECK(db.schema_version("sample") == 2);
        auto q = db.prepare("SELECT name, note FROM sample");
        REQUIRE(q.step());
        CHECK(q.column_text(0) == "kept-across-migration");
        CHECK(q.column_text(1).empty());
        CHECK(db.get("session") == "41");
    }
    fs::remove_all(dir);
}

TEST_CASE("a store newer than the code is refused with the component named") {
    Database db(":memory:");
    db.migrate("sample", sample_steps);
    REQUIRE_THROWS_WITH(db.migrate("sample", {sample_steps[0]}),
                        Catch::Contains("'sample' is version 2, newer than this lyktad knows (1)"));
}

TEST_CASE("a failing migration step leaves the previous version in place") {
    Database db(":memory:");
    db.migrate("sample", {sample_steps[0]});
    CHECK_THROWS(db.migrate("sample", {sample_steps[0], "ALTER TABLE no_such_table ADD COLUMN x"}));
    CHECK(db.schema_version("sample") == 1);
}

TEST_CASE("key/value counters increment and persist") {
    auto dir = temp_copy_dir();
    auto path = (dir / "kv.db").string();
    {
        Database db(path);
        CHECK(db.increment("session") == 1);
        CHECK(db.increment("session") == 2);
        db.put("revision", "7");
    }
    {
        Database db(path);
        CHECK(db.increment("session") == 3);
        CHECK(db.get("revision") == "7");
        CHECK_FALSE(db.get("missing").has_value());
    }
    fs::remove_all(dir);
}

TEST_CASE("a corrupt store file is moved aside and a fresh store started") {
    auto dir = temp_copy_dir();
    auto path = (dir / "corrupt.db").string();
    {
        std::ofstream out(path, std::ios::binary);
        out << std::string(8192, 'x');  // not an SQLite file at all
    }
    CHECK_THROWS_AS(Database(path), lykta::store::StoreCorrupt);
    std::string moved_to;
    auto db = lykta::store::open_or_recover(path, &moved_to);
    REQUIRE(db);
    CHECK(moved_to.rfind(path + ".corrupt-", 0) == 0);
    CHECK(fs::exists(moved_to));
    CHECK(db->increment("n") == 1);
    fs::remove_all(dir);
}

TEST_CASE("a store that cannot be opened for another reason is left where it is") {
    // Regression: open_or_recover moved aside whatever failed to open, so a
    // directory in the way (or a permission problem) was renamed as "corrupt".
    auto dir = temp_copy_dir();
    auto path = (dir / "in-the-way.db").string();
    fs::create_directories(path);
    std::string moved_to;
    CHECK_THROWS_AS(lykta::store::open_or_recover(path, &moved_to), lykta::store::StoreError);
    bool called_corrupt = false;
    try {
        Database db(path);
    } catch (const lykta::store::StoreCorrupt&) {
        called_corrupt = true;
    } catch (const lykta::store::StoreError&) {
    }
    CHECK_FALSE(called_corrupt);
    CHECK(moved_to.empty());
    CHECK(fs::is_directory(path));
    fs::remove_all(dir);
}

TEST_CASE("a transaction that throws is rolled back") {
    Database db(":memory:");
    db.migrate("sample", sample_steps);
    CHECK_THROWS(db.transaction([&] {
        db.exec("INSERT INTO sample(name) VALUES('x')");
        throw std::runtime_error("boom");
    }));
    auto q = db.prepare("SELECT count(*) FROM sample");
    REQUIRE(q.step());
    CHECK(q.column_int(0) == 0);
}
