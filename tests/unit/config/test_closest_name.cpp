#include <catch2/catch.hpp>

#include "gateway/config/closest_name.hpp"

using namespace lykta::config;

TEST_CASE("edit distance counts insertions, deletions, substitutions, swaps", "[config]") {
    CHECK(edit_distance("address", "address") == 0);
    CHECK(edit_distance("adress", "address") == 1);
    CHECK(edit_distance("adderss", "address") == 1);  // adjacent swap
    CHECK(edit_distance("qso", "qos") == 1);
    CHECK(edit_distance("", "abc") == 3);
}

TEST_CASE("closest name suggests likely typos only", "[config]") {
    std::vector<std::string> keys{"id", "bus", "address", "area", "rated_w", "location"};
    CHECK(closest_name("adress", keys) == "address");
    CHECK(closest_name("aera", keys) == "area");
    CHECK(closest_name("locaton", keys) == "location");
    CHECK_FALSE(closest_name("colour", keys));
    CHECK(did_you_mean("buss", keys) == " (did you mean 'bus'?)");
    CHECK(did_you_mean("zzzzzz", keys).empty());
}
