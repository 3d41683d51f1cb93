// The photocells section: defaults, references, hysteresis and freshness checks.
#include "config_test_support.hpp"
#include "gateway/config/photocell_section.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

namespace {

const std::string modbus_section =
    "modbus:\n"
    "  networks: [{ id: lan, type: tcp, host: 127.0.0.1 }]\n"
    "  devices: [{ id: cab1, network: lan, unit: 3, template: lux-sensor, full_publish_s: 60 }]\n";

}  // namespace

TEST_CASE("photocells: defaults and every setting", "[config][photocells]") {
    auto r = load_with(modbus_section +
                       "photocells:\n"
                       "  - { id: pc1, device: cab1, value: lux, areas: [torget] }\n"
                       "  - id: pc2\n"
                       "    device: cab1\n"
                       "    value: dusk_relay\n"
                       "    areas: []\n"
                       "    dark_when: open\n");
    REQUIRE_ERROR(r, 20, 12, "names no area");

    r = load_with(modbus_section +
                  "photocells:\n"
                  "  - { id: pc1, device: cab1, value: lux, areas: [torget] }\n");
    REQUIRE_LOADS(r);
    REQUIRE(r.config->photocells.size() == 1);
    const auto& p = r.config->photocells[0];
    CHECK(p.id == "pc1");
    CHECK(p.device == "cab1");
    CHECK(p.value == "lux");
    CHECK(p.areas == std::vector<std::string>{"torget"});
    CHECK(p.dark_when_closed);
    CHECK(p.window_before_min == 30);
    CHECK(p.on_below_lux == 30);
    CHECK(p.off_above_lux == 60);
    CHECK_FALSE(p.max_age_s);
    CHECK(photocell_max_age_s(p, *r.config) == 60 + 2 * 10);  // full_publish_s + 2 × poll_s
    CHECK(p.value_pos.line == 16);

    r = load_with(modbus_section +
                  "photocells:\n"
                  "  - id: pc1\n"
                  "    device: cab1\n"
                  "    value: dusk_relay\n"
                  "    areas: [torget]\n"
                  "    dark_when: open\n"
                  "    window_before_min: 45\n"
                  "    window_after_min: 20\n"
                  "    on_below_lux: 15\n"
                  "    off_above_lux: 40\n"
                  "    confirm_s: 120\n"
                  "    max_age_s: 90\n"
                  "    bright_lux: 2000\n"
                  "    dark_lux: 2\n"
                  "    disagree_s: 900\n");
    REQUIRE_LOADS(r);
    const auto& q = r.config->photocells[0];
    CHECK_FALSE(q.dark_when_closed);
    CHECK(q.window_before_min == 45);
    CHECK(q.window_after_min == 20);
    CHECK(q.on_below_lux == 15);
    CHECK(q.off_above_lux == 40);
    CHECK(q.confirm_s == 120);
    CHECK(photocell_max_age_s(q, *r.config) == 90);
    CHECK(q.bright_lux == 2000);
    CHECK(q.dark_lux == 2);
    CHECK(q.disagree_s == 900);
}

TEST_CASE("photocell errors point at the line", "[config][photocells][errors]") {
    auto r = load_with(modbus_section +
                       "photocells:\n"
                       "  - { id: pc1, device: cab2, value: lux, areas: [torgt] }\n"
                       "  - { id: pc1, device: cab1, value: lux, areas: [torget], on_below_lux: 70 }\n"
                       "  - { id: pc3, device: cab1, value: lux, areas: [torget], max_age_s: 30 }\n"
                       "  - { id: pc4, device: cab1, value: lux, areas: [torget], dark_when: sometimes }\n");
    REQUIRE_ERROR(r, 16, 24, "unknown modbus device 'cab2' (did you mean 'cab1'?)");
    REQUIRE_ERROR(r, 16, 50, "unknown area 'torgt' (did you mean 'torget'?)");
    REQUIRE_ERROR(r, 17, 5, "duplicate photocell id 'pc1' (first at line 16)");
    REQUIRE_ERROR(r, 17, 73, "off_above_lux 60 must be above on_below_lux 70");
    REQUIRE_ERROR(r, 18, 50, "area 'torget' is already gated by photocell 'pc1'");
    REQUIRE_ERROR(r, 18, 70, "30 s is shorter than device 'cab1' publishes an unchanged value");
    REQUIRE_ERROR(r, 19, 70, "'sometimes' is not closed or open");
}
