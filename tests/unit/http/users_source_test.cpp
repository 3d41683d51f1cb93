#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "gateway/http/users_source.hpp"

using namespace lykta::http;
namespace fs = std::filesystem;

namespace {

struct Dir {
    fs::path path;
    Dir() {
        std::string pattern = (fs::temp_directory_path() / "lykta-users-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~Dir() { fs::remove_all(path); }
};

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p) << text;
}

// A users file with one user, loaded.
struct OneUser {
    Dir d;
    fs::path file = d.path / "users";
    UsersSource source{file.string()};
    OneUser() {
        write(file, "anna:crew:$y$j9T$a$b\n");
        REQUIRE(source.load().users.size() == 1);
    }
};

}  // namespace

TEST_CASE("users source: re-read only when the file's version changed") {
    OneUser site;
    auto& [d, file, source] = site;
    CHECK_FALSE(source.changed());
    write(file, "anna:crew:$y$j9T$a$b\nbo:viewer:$y$j9T$c$d\n");  // another size
    auto change = source.changed();
    REQUIRE(change);
    CHECK_FALSE(change->error);
    CHECK(change->users.users.size() == 2);
    CHECK_FALSE(source.changed());
}

TEST_CASE("users source: an unreadable file is reported once per version, not at every check") {
    OneUser site;
    auto& [d, file, source] = site;
    // Unreadable even for root: a directory in its place (open works, read fails with EISDIR).
    fs::remove(file);
    fs::create_directory(file);
    auto change = source.changed();
    REQUIRE(change);
    REQUIRE(change->error);
    CHECK(change->error->find("cannot read " + file.string()) != std::string::npos);
    CHECK(change->error->find("directory") != std::string::npos);
    CHECK(change->users.users.empty());
    for (int i = 0; i < 5; ++i) CHECK_FALSE(source.changed());
    // Another version of the unreadable thing is reported again, once.
    fs::remove(file);
    fs::create_directory(file);
    fs::create_directory(file / "x");  // a new inode or at least a new mtime
    REQUIRE(source.changed());
    CHECK_FALSE(source.changed());
    // Gone: once.
    fs::remove_all(file);
    change = source.changed();
    REQUIRE(change);
    REQUIRE(change->error);
    CHECK(change->error->find("No such file") != std::string::npos);
    CHECK_FALSE(source.changed());
    // Back: read again, no error.
    write(file, "bo:viewer:$y$j9T$c$d\n");
    change = source.changed();
    REQUIRE(change);
    CHECK_FALSE(change->error);
    REQUIRE(change->users.users.size() == 1);
    CHECK(change->users.users[0].name == "bo");
}

TEST_CASE("users source: a users file that cannot be read stops the start") {
    Dir d;
    UsersSource missing((d.path / "none").string());
    CHECK_THROWS_WITH(missing.load(), Catch::Contains("cannot read") && Catch::Contains("none"));
    fs::create_directory(d.path / "dir");
    UsersSource directory((d.path / "dir").string());
    CHECK_THROWS_WITH(directory.load(), Catch::Contains("Is a directory"));
}

TEST_CASE("read_file: a directory is an error, never empty text") {
    Dir d;
    CHECK_THROWS_WITH(read_file(d.path.string()),
                      Catch::Contains(d.path.string()) && Catch::Contains("directory"));
    write(d.path / "f", std::string(10000, 'x'));
    CHECK(read_file((d.path / "f").string()).size() == 10000);
}
