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

namespace {

// A UTC instant from its calendar fields, computed by date (not by the parser under test).
SystemTime utc(int y, unsigned mo, unsigned d, int h, int mi, int s, std::chrono::nanoseconds frac = {}) {
    return SystemTime{date::sys_days{date::year{y} / mo / d} + std::chrono::hours{h} +
                      std::chrono::minutes{mi} + std::chrono::seconds{s}} +
           std::chrono::duration_cast<SystemTime::duration>(frac);
}

}  // namespace

// RFC 3339 (IETF, July 2002) section 5.8, its examples byte for byte with the
// instants the section says they are.
TEST_CASE("RFC 3339 section 5.8 examples", "[core][time]") {
    // "20 minutes and 50.52 seconds after the 23rd hour of April 12th, 1985 in UTC"
    CHECK(parse_rfc3339("1985-04-12T23:20:50.52Z") == utc(1985, 4, 12, 23, 20, 50, 520ms));
    CHECK(parse_rfc3339("1985-04-12T23:20:50.52Z") == SystemTime{} + 482196050520ms);
    // "equivalent to 1996-12-20T00:39:57Z in UTC"
    CHECK(parse_rfc3339("1996-12-19T16:39:57-08:00") == utc(1996, 12, 20, 0, 39, 57));
    CHECK(parse_rfc3339("1996-12-19T16:39:57-08:00") == parse_rfc3339("1996-12-20T00:39:57Z"));
    // "the leap second inserted at the end of 1990", and "the same leap second
    // in Pacific Standard Time": the last instant SystemTime has before 1991.
    CHECK(parse_rfc3339("1990-12-31T23:59:60Z") == utc(1991, 1, 1, 0, 0, 0) - SystemTime::duration{1});
    CHECK(parse_rfc3339("1990-12-31T15:59:60-08:00") == parse_rfc3339("1990-12-31T23:59:60Z"));
    // "the same instant of time as noon, January 1, 1937, Netherlands time",
    // written with the closest HH:MM offset: 11:40:27.87 UTC.
    CHECK(parse_rfc3339("1937-01-01T12:00:27.87+00:20") == utc(1937, 1, 1, 11, 40, 27, 870ms));
}

TEST_CASE("RFC 3339 section 5.6 grammar: fractions, case, offsets", "[core][time]") {
    const auto base = utc(2026, 12, 5, 13, 0, 0);
    // time-secfrac = "." 1*DIGIT: 1 to 9 digits kept, more floored away.
    CHECK(parse_rfc3339("2026-12-05T13:00:00.1Z") == base + 100ms);
    CHECK(parse_rfc3339("2026-12-05T13:00:00.123Z") == base + 123ms);
    CHECK(parse_rfc3339("2026-12-05T13:00:00.123456+00:00") == base + 123456us);
    CHECK(parse_rfc3339("2026-12-05T13:00:00.123456789Z") == base + 123456789ns);
    CHECK(parse_rfc3339("2026-12-05T13:00:00.1234567899999Z") == base + 123456789ns);
    CHECK(parse_rfc3339("2026-12-05T13:00:00.000000000Z") == base);
    // "T"/"Z" or lower case (section 5.6 NOTE), a space as separator (same NOTE).
    CHECK(parse_rfc3339("2026-12-05t13:00:00.5z") == base + 500ms);
    CHECK(parse_rfc3339("2026-12-05 13:00:00Z") == base);
    // Offsets: east, west, and "-00:00" (section 4.3: UTC, local offset unknown).
    CHECK(parse_rfc3339("2026-12-05T14:30:00.25+01:30") == base + 250ms);
    CHECK(parse_rfc3339("2026-12-05T01:00:00-12:00") == base);
    CHECK(parse_rfc3339("2026-12-05T13:00:00-00:00") == base);
    // Leap years (section 5.7) and a date-time across midnight by its offset.
    CHECK(parse_rfc3339("2028-02-29T00:00:00Z"));
    CHECK(parse_rfc3339("2027-01-01T00:30:00+01:00") == utc(2026, 12, 31, 23, 30, 0));
}

TEST_CASE("RFC 3339 rejects what section 5.6 does not allow, saying why", "[core][time]") {
    for (const char* bad :
         {"2026-12-05T13:00:00.Z", "2026-12-05T13:00:00", "2026-12-05T13:00Z", "2026-12-05T1:00:00Z",
          "2026-12-05T13:00:00+0100", "2026-12-05T13:00:00+01", "2026-12-05T13:00:00 Z",
          "2026-12-05T24:00:00Z", "2026-12-05T13:60:00Z", "2026-12-05T13:00:61Z", "2026-12-05T13:00:00+24:00",
          "2026-13-05T13:00:00Z", "2027-02-29T13:00:00Z", "2026-12-05X13:00:00Z", "2026-12-05T13:00:00Z ",
          "+2026-12-05T13:00:00Z", "2026-12-05T13:00:00.5ZZ", "2026-06-15T23:59:60Z",
          "2026-12-31T23:58:60Z"}) {
        std::string error;
        CHECK_FALSE(parse_rfc3339(bad, &error));
        CHECK(error.find(std::string("'") + bad + "'") == 0);
    }
    std::string error;
    parse_rfc3339("2026-12-05T13:00:00", &error);
    CHECK(error == "'2026-12-05T13:00:00' needs a UTC offset (Z or +HH:MM) after the time");
    parse_rfc3339("2027-02-29T13:00:00Z", &error);
    CHECK(error == "'2027-02-29T13:00:00Z' has no day 29 in that month");
    // A leap second ends a month: 2016-12-31T23:59:60Z did, and so may the end of June.
    CHECK(parse_rfc3339("2016-12-31T23:59:60Z"));
    CHECK(parse_rfc3339("2015-06-30T23:59:60.5Z"));
}

TEST_CASE("RFC 3339 full-date alone", "[core][time]") {
    CHECK(parse_full_date("2026-12-05") == date::year{2026} / 12 / 5);
    CHECK(parse_full_date("2024-02-29"));
    std::string error;
    CHECK_FALSE(parse_full_date("2026-02-29", &error));
    CHECK(error == "'2026-02-29' has no day 29 in that month");
    CHECK_FALSE(parse_full_date("2026-00-10", &error));
    CHECK(error == "'2026-00-10' has month 0 (expected 01..12)");
    CHECK_FALSE(parse_full_date("2990-12-31", &error));  // found by tests/fuzz/fuzz_rfc3339.cpp
    CHECK(error == "'2990-12-31' is outside the years 1678..2261 the gateway can hold");
    CHECK_FALSE(parse_rfc3339("2990-12-31T23:59:60Z"));
    CHECK_FALSE(parse_rfc3339("0000-01-01T00:00:00+01:00"));
    for (const char* bad : {"2026-1-05", "2026-12-5", "26-12-05", "2026/12/05", "2026-12-05T", "2026-12-32"})
        CHECK_FALSE(parse_full_date(bad));
}
