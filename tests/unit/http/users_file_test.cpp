#include <catch2/catch.hpp>

#include "gateway/http/users_file.hpp"

using namespace lykta::http;

TEST_CASE("users_file: lines of name:role:hash, comments and blank lines kept out") {
    auto f =
        parse_users("# crew of cabinet 7\n\nanna:crew:$y$j9T$abc$def\nbo:viewer:$y$j9T$x$y\r\n", "users");
    REQUIRE(f.problems.empty());
    REQUIRE(f.users.size() == 2);
    CHECK(f.users[0].name == "anna");
    CHECK(f.users[0].role == Role::crew);
    CHECK(f.users[0].hash == "$y$j9T$abc$def");
    CHECK(f.find("bo")->role == Role::viewer);
    CHECK(f.find("carl") == nullptr);
}

TEST_CASE("users_file: every bad line is reported with FILE:LINE:COL and skipped") {
    auto f = parse_users(
        "anna:crew:$y$ok$ok\nbo:admin:$y$a$b\nno colons\ncarl:viewer:plain\n"
        "d e:crew:$y$a$b\nanna:viewer:$y$c$d\n",
        "/etc/lykta/users");
    REQUIRE(f.users.size() == 1);
    REQUIRE(f.problems.size() == 5);
    CHECK(f.problems[0].to_string() == "/etc/lykta/users:2:4: role 'admin' is not viewer or crew");
    CHECK(f.problems[1].pos.line == 3);
    CHECK(f.problems[2].pos.line == 4);
    CHECK(f.problems[2].pos.col == 13);
    CHECK(f.problems[2].message.find("lyktactl http passwd carl") != std::string::npos);
    CHECK(f.problems[3].message.find("'d e'") != std::string::npos);
    CHECK(f.problems[4].message.find("listed twice") != std::string::npos);
}

TEST_CASE("users_file: set_user_line replaces the user's line and keeps the others") {
    std::string text = "# users\nanna:crew:$y$1$1\nbo:viewer:$y$2$2\n";
    auto replaced = set_user_line(text, {"anna", Role::viewer, "$y$9$9"});
    CHECK(replaced == "# users\nanna:viewer:$y$9$9\nbo:viewer:$y$2$2\n");
    auto added = set_user_line(text, {"annabel", Role::crew, "$y$3$3"});
    CHECK(added == text + "annabel:crew:$y$3$3\n");
    CHECK(parse_users(added, "f").users.size() == 3);
}

TEST_CASE("users_file: user names") {
    CHECK(is_valid_user_name("crew-7.north@city"));
    CHECK_FALSE(is_valid_user_name(""));
    CHECK_FALSE(is_valid_user_name("a:b"));
    CHECK_FALSE(is_valid_user_name(std::string(65, 'a')));
}
