// The times in the config (safety_flags' `from`/`until`) take every spelling
// RFC 3339 section 5.6 allows, as every command does (issue 21): the loaded
// instant depends on the instant written, never on how it was written.
#include <date/tz.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "config_test_support.hpp"
#include "gateway/config/date_parsing.hpp"

using namespace lykta::config;
using namespace lykta::config::test;
using namespace std::chrono_literals;

namespace {

// 2027-06-01T20:00:00Z, 22:00 in Stockholm (the base config's zone).
const lykta::SystemTime instant{date::sys_days{date::year{2027} / 6 / 1}.time_since_epoch() + 20h};

// Each spelling with the instant it names: the same second, plus what its
// fraction adds (RFC 3339 section 5.6 time-secfrac, 1 to 9 digits).
std::vector<std::pair<std::string, lykta::SystemTime>> spellings() {
    std::vector<std::pair<std::string, lykta::SystemTime>> out{
        {"2027-06-01T20:00:00Z", instant},      {"2027-06-01T20:00:00z", instant},
        {"2027-06-01t20:00:00Z", instant},      {"2027-06-01 20:00:00Z", instant},
        {"2027-06-01T22:00:00+02:00", instant}, {"2027-06-01T15:30:00-04:30", instant},
        {"2027-06-01T20:00:00-00:00", instant}, {"2027-06-01T22:00:00.123456+02:00", instant + 123456us},
    };
    const std::string digits = "123456789";
    for (std::size_t n = 1; n <= digits.size(); ++n) {
        std::chrono::nanoseconds fraction{std::stoll(digits.substr(0, n) + std::string(9 - n, '0'))};
        out.emplace_back("2027-06-01T20:00:00." + digits.substr(0, n) + (n % 2 ? "Z" : "+00:00"),
                         instant + fraction);
    }
    return out;
}

// The instant the daemon takes from a loaded flag's text (policy::flag_from_config
// reads it with the same function, in the site's zone).
lykta::SystemTime loaded(const std::string& text, bool is_until) {
    std::string error;
    auto t = parse_flag_time(text, date::locate_zone("Europe/Stockholm"), is_until, error);
    INFO(text << ": " << error);
    REQUIRE(t);
    return *t;
}

}  // namespace

TEST_CASE("safety flag times: every RFC 3339 spelling of an instant loads as that instant",
          "[config][flags][rfc3339]") {
    for (const auto& [text, expected] : spellings()) {
        SECTION(text) {
            auto r = load_with(
                "safety_flags:\n"
                "  - { area: torget, from: \"" +
                text +
                "\", until: \"2027-07-01\" }\n"
                "  - { area: torget, from: \"2027-05-01\", until: \"" +
                text + "\" }\n");
            REQUIRE_LOADS(r);
            const auto& flags = r.config->safety_flags;
            REQUIRE(flags.size() == 2);
            CHECK(loaded(flags[0].from, false) == expected);
            CHECK(loaded(flags[1].until, true) == expected);
        }
    }
}

TEST_CASE("safety flag times: a bare date is the local day, whole for until", "[config][flags][rfc3339]") {
    auto r = load_with("safety_flags:\n  - { area: torget, from: 2027-06-01, until: 2027-06-01 }\n");
    REQUIRE_LOADS(r);
    const auto& flag = r.config->safety_flags.at(0);
    // Stockholm is at +02:00 in June: local midnight is 22:00 UTC the day before.
    CHECK(loaded(flag.from, false) == instant - 22h);
    CHECK(loaded(flag.until, true) == instant + 2h);
}

TEST_CASE("safety flag times: what RFC 3339 does not allow is an error at the value",
          "[config][flags][rfc3339][errors]") {
    for (const std::string text :
         {"2027-06-01T20:00:00.Z", "2027-06-01T20:00:00", "2027-06-01T20:00Z", "2027-06-01T20:00:00+0200",
          "2027-02-29T20:00:00Z", "2027-06-01T20:00:00Z junk", "2027-6-1"}) {
        SECTION(text) {
            auto r = load_with("safety_flags:\n  - { area: torget, from: \"" + text +
                               "\" }\n  - { area: torget, until: \"" + text +
                               "\", recurrence: { from: \"20:00\", to: \"04:00\" } }\n");
            // Line 13/14 of the file: the base config is 11 lines, then "safety_flags:".
            REQUIRE_ERROR(r, 13, 27, "safety_flags[0].from: ");
            REQUIRE_ERROR(r, 13, 27, text);
            REQUIRE_ERROR(r, 14, 28, "safety_flags[1].until: ");
            REQUIRE_ERROR(r, 14, 28, text);
        }
    }
}
