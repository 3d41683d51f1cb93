#include <catch2/catch.hpp>

#include "gateway/config/luminaire_rows.hpp"

using namespace lykta::config;

TEST_CASE("luminaire rows: one row per configured luminaire, found by id, in config order") {
    std::vector<Luminaire> luminaires{{"L-2", "bus1", 1, "torget", 60, {}},
                                      {"A-9", "bus1", 0, "park", 40, {}},
                                      {"L-10", "bus2", 5, "torget", 30, {}}};
    LuminaireRows<int> rows(luminaires);
    REQUIRE(rows.find("L-2"));
    REQUIRE(rows.find("A-9"));
    REQUIRE(rows.find("L-10"));
    CHECK_FALSE(rows.find("L-1"));
    CHECK_FALSE(rows.find(""));
    CHECK_FALSE(rows.find("Z"));
    *rows.find("A-9") = 7;
    *rows.find("L-10") = 3;
    CHECK(rows.luminaire_of(*rows.find("L-10")).address == 5);
    CHECK(rows.row_of(luminaires[1]) == 7);
    CHECK(std::vector<int>(rows.begin(), rows.end()) == std::vector<int>{0, 7, 3});
}
