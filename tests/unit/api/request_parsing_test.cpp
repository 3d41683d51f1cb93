#include <catch2/catch.hpp>

#include "gateway/api/request_parsing.hpp"

using namespace lykta::api;

namespace {
std::string failure(std::string_view payload) {
    auto r = parse_request(payload, 32);
    auto* f = std::get_if<ParseFailure>(&r);
    return f ? f->message : "";
}
}  // namespace

TEST_CASE("a JSON object parses") {
    auto r = parse_request(R"({"id":"a","level":50.5})", 32);
    REQUIRE(std::holds_alternative<nlohmann::json>(r));
    CHECK(std::get<nlohmann::json>(r)["level"] == 50.5);
}

TEST_CASE("every kind of malformed request is refused with a reason") {
    CHECK(failure("") == "empty payload (expected a JSON object)");
    CHECK(failure("not json") == "payload is not valid JSON");
    CHECK(failure("{\"a\":") == "payload is not valid JSON");
    CHECK(failure("[1,2]") == "payload is JSON array, expected an object");
    CHECK(failure("42") == "payload is JSON number, expected an object");
    CHECK(failure("\"s\"") == "payload is JSON string, expected an object");
    CHECK(failure("{\"a\":NaN}") == "payload is not valid JSON");
    CHECK(failure("{\"a\":1e999}") == "payload is not valid JSON");
    CHECK(failure("{\"a\":\"\xff\"}") == "payload is not valid UTF-8");
    std::string deep = std::string(33, '[') + std::string(33, ']');
    CHECK(failure("{\"a\":" + deep + "}") == "JSON nested deeper than 32 levels");
    std::string ok_depth = "{\"a\":" + std::string(31, '[') + std::string(31, ']') + "}";
    CHECK(failure(ok_depth).empty());
}

TEST_CASE("nesting depth ignores brackets inside strings") {
    CHECK(nesting_depth(R"({"a":"[[[[{{{{"})", 32) == 1);
    CHECK(nesting_depth(R"({"a":"\"[[["})", 32) == 1);
    CHECK(nesting_depth(R"([[{}]])", 32) == 3);
}

TEST_CASE("UTF-8 validation is strict") {
    CHECK(is_valid_utf8("plain"));
    CHECK(is_valid_utf8("Båstad \xe2\x82\xac \xf0\x9f\x92\xa1"));
    CHECK_FALSE(is_valid_utf8("\xc3"));              // truncated
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
    CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\x80"));
}
