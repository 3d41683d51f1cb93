// lyktactl's text forms of an `inventory/get` answer: the "inventory" array as
// the daemon sends it (one record read, one never read; docs/mqtt-api.md,
// inventory/get) as an aligned table and as CSV.
#include <catch2/catch.hpp>

#include "render/inventory_table.hpp"

using lykta::ctl::inventory_csv;
using lykta::ctl::inventory_table;

namespace {

nlohmann::json inventory() {
    return nlohmann::json::parse(R"([
      {"address": 6, "area": "torget", "attempted_at": "2026-09-21T14:13:20Z", "bus": "bus1",
       "changed_at": null, "firmware": "1.2",
       "first": {"firmware": "1.2", "gtin": "4052899001015", "identification": "0000000000000010",
                 "read_at": "2026-09-21T14:13:20Z"},
       "gtin": "4052899001015", "identification": "0000000000000010",
       "location": {"lat": 56.43, "lon": 12.85, "street": "Storgatan 3, norra"},
       "luminaire": "L-7", "luminaire_data": null, "problem": null,
       "read_at": "2026-09-21T14:13:20Z", "swaps": 0},
      {"address": 6, "area": "torget", "attempted_at": null, "bus": "bus1", "changed_at": null,
       "firmware": null, "first": null, "gtin": null, "identification": null, "location": null,
       "luminaire": "L-8", "luminaire_data": null, "problem": null, "read_at": null, "swaps": 0}
    ])");
}

}  // namespace

TEST_CASE("inventory table and csv", "[lyktactl][inventory]") {
    const auto list = inventory();
    const auto table = inventory_table(list);
    CHECK(table.rfind("LUMINAIRE", 0) == 0);
    CHECK(table.find("L-7  ") != std::string::npos);
    CHECK(table.find("bus1/6") != std::string::npos);
    CHECK(table.find("4052899001015") != std::string::npos);
    CHECK(inventory_table(nlohmann::json::array()) == "No luminaires.\n");

    const auto csv = inventory_csv(list);
    const auto first_line = csv.substr(0, csv.find('\n'));
    CHECK(first_line.rfind("luminaire,bus,address,area,lat,lon,street,gtin,identification,firmware,", 0) ==
          0);
    CHECK(csv.find("L-7,bus1,6,torget,56.430000,12.850000,\"Storgatan 3, norra\",4052899001015,"
                   "0000000000000010,1.2,") != std::string::npos);
    CHECK(csv.find("\nL-8,bus1,6,torget,,,,,,,") != std::string::npos);  // never read: empty identity
    std::size_t lines = 0;
    for (char c : csv) lines += c == '\n';
    CHECK(lines == 3);
}
