#include "gateway/core/rfc3339.hpp"

#include <catch2/catch.hpp>

using namespace lykta;
using namespace std::chrono_literals;

TEST_CASE("RFC 3339 in UTC floors to the second", "[core][time]") {
    CHECK(rfc3339_utc(SystemTime{}) == "1970-01-01T00:00:00Z");
    CHECK(rfc3339_utc(SystemTime{} + 90061s) == "1970-01-02T01:01:01Z");
    // 999 ms before the next second still prints the current one.
    CHECK(rfc3339_utc(SystemTime{} + 1795539900s + 999ms) == "2026-11-24T17:05:00Z");
}

TEST_CASE("RFC 3339 with milliseconds", "[core][time]") {
    CHECK(rfc3339_utc_ms(SystemTime{}) == "1970-01-01T00:00:00.000Z");
    CHECK(rfc3339_utc_ms(SystemTime{} + 1764003900s + 250ms) == "2025-11-24T17:05:00.250Z");
    CHECK(rfc3339_utc_ms(SystemTime{} + 1764003900s + 250ms + 999us) == "2025-11-24T17:05:00.250Z");
}

TEST_CASE("RFC 3339 parse round trip and rejects", "[core][time]") {
    auto t = SystemTime{} + 1'795'000'000s;
    CHECK(parse_rfc3339(rfc3339_utc(t)) == t);
    CHECK(parse_rfc3339("2026-11-24T18:05:00+01:00") == parse_rfc3339("2026-11-24T17:05:00Z"));
    CHECK(parse_rfc3339("2026-11-24t17:05:00z") == parse_rfc3339("2026-11-24T17:05:00Z"));
    CHECK_FALSE(parse_rfc3339(""));
    CHECK_FALSE(parse_rfc3339("2026-11-24"));
    CHECK_FALSE(parse_rfc3339("yesterday"));
    CHECK_FALSE(parse_rfc3339("2026-11-24T17:05:00Zjunk"));
}
