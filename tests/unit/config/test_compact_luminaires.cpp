// The compact form for runs of identical luminaires.
#include "config_test_support.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

TEST_CASE("a run expands to one luminaire per address", "[config][compact]") {
    auto r = load_with(
        "luminaires:\n"
        "  - { id: \"L-{n:03}\", bus: bus1, addresses: 0..11, area: torget, rated_w: 39 }\n"
        "  - { id: \"M{n}\", bus: bus1, addresses: [20, \"30..31\", 40], first: 7, area: torget }\n");
    REQUIRE_LOADS(r);
    const auto& l = r.config->luminaires;
    REQUIRE(l.size() == 16);
    CHECK(l[0].id == "L-001");
    CHECK(l[0].address == 0);
    CHECK(l[11].id == "L-012");
    CHECK(l[11].address == 11);
    CHECK(l[11].rated_w == 39);
    CHECK(l[11].area == "torget");
    CHECK(l[12].id == "M7");
    CHECK(l[12].address == 20);
    CHECK(l[14].id == "M9");
    CHECK(l[14].address == 31);
    CHECK(l[15].id == "M10");
    CHECK(l[15].address == 40);
}

TEST_CASE("expanded ids must be unique", "[config][compact][errors]") {
    auto r = load_with(
        "luminaires:\n"
        "  - { id: L-003, bus: bus1, address: 40, area: torget }\n"
        "  - { id: \"L-{n:03}\", bus: bus1, addresses: 0..4, area: torget }\n");
    REQUIRE_ERROR(r, 14, 11, "luminaires[1].id: duplicate luminaire id 'L-003' (first at line 13)");
}

TEST_CASE("runs may not overlap addresses", "[config][compact][errors]") {
    auto r = load_with(
        "luminaires:\n"
        "  - { id: \"A{n}\", bus: bus1, addresses: 0..9, area: torget }\n"
        "  - { id: \"B{n}\", bus: bus1, addresses: [20, 9], area: torget }\n");
    REQUIRE_ERROR(
        r, 14, 46,
        "luminaires[1].addresses[1]: short address 9 on bus 'bus1' is already used by luminaire 'A10'");
}

TEST_CASE("malformed runs", "[config][compact][errors]") {
    auto r = load_with(
        "luminaires:\n"
        "  - { id: L-1, bus: bus1, addresses: 0..3, area: torget }\n"
        "  - { id: \"L{n}\", bus: bus1, addresses: 60..64, area: torget }\n"
        "  - { id: \"L{n}\", bus: bus1, addresses: \"a..b\", area: torget }\n"
        "  - { id: \"L{n:x}\", bus: bus1, addresses: 1, area: torget }\n"
        "  - { id: \"L{n}\", bus: bus1, address: 1, addresses: 2..3, area: torget }\n"
        "  - { id: \"L{n}\", bus: bus1, addresses: [], area: torget }\n");
    REQUIRE_ERROR(r, 13, 11, "luminaires[0].id: 'L-1' has no {n} placeholder");
    REQUIRE_ERROR(r, 14, 41, "luminaires[1].addresses: range '60..64' is not within 0..63");
    REQUIRE_ERROR(r, 15, 41, "luminaires[2].addresses: 'a..b' is not an address range");
    REQUIRE_ERROR(r, 16, 11, "luminaires[3].id: placeholder in 'L{n:x}' must be {n} or {n:0W}");
    REQUIRE_ERROR(r, 17, 5,
                  "luminaires[4]: give either 'address' (one luminaire) or 'addresses' (a run), not both");
    REQUIRE_ERROR(r, 18, 41, "luminaires[5].addresses: list of addresses is empty");
}
