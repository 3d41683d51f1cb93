#include <catch2/catch.hpp>

#include "gateway/stats/energy_split.hpp"

using namespace lykta::stats;

TEST_CASE("meter energy is split over its areas by estimated power") {
    CHECK(split_energy(1.0, {}, {}).empty());
    CHECK(split_energy(2.0, {"a"}, {}) == std::map<std::string, double>{{"a", 2.0}});
    CHECK(split_energy(2.0, {"a", "b"}, {}) == std::map<std::string, double>{{"a", 1.0}, {"b", 1.0}});
    auto split = split_energy(4.0, {"a", "b"}, {{"a", 300}, {"b", 100}, {"c", 1000}});
    CHECK(split["a"] == Approx(3.0));
    CHECK(split["b"] == Approx(1.0));
}
