#include <catch2/catch.hpp>

#include "gateway/api/command.hpp"

using lykta::api::response_envelope;
using nlohmann::json;

TEST_CASE("response envelope echoes the id") {
    auto ok = response_envelope("t-1", {{"status", "ok"}, {"data", {{"n", 1}}}});
    CHECK(ok == json{{"id", "t-1"}, {"status", "ok"}, {"data", {{"n", 1}}}});
    CHECK(response_envelope(nullptr, {{"status", "error"}})["id"].is_null());
}
