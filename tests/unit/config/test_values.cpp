// Out-of-range values, time zones, time expressions, dates and weekdays.
#include "config_test_support.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

TEST_CASE("out-of-range numbers name the key path and the range", "[config][errors]") {
    auto r = load_with(
        "luminaires:\n"
        "  - { id: L-1, bus: bus1, address: 64, area: torget }\n"
        "mqtt: { qos: 3, version: 4, keepalive_s: 0, uri: \"tcp://h:70000\" }\n"
        "modbus:\n"
        "  networks: [ { id: lan, type: tcp, host: h, port: 0 } ]\n");
    REQUIRE_ERROR(r, 13, 36, "luminaires[0].address: 64 is out of range 0..63");
    REQUIRE_ERROR(r, 14, 14, "mqtt.qos: 3 is out of range 0..2");
    REQUIRE_ERROR(r, 14, 26, "mqtt.version: 4 is not a supported MQTT version");
    REQUIRE_ERROR(r, 14, 42, "mqtt.keepalive_s: 0 must be greater than 0");
    REQUIRE_ERROR(r, 14, 50, "mqtt.uri: port '70000' in 'tcp://h:70000' is out of range 1..65535");
    REQUIRE_ERROR(r, 16, 52, "modbus.networks[0].port: 0 is out of range 1..65535");
    // An address that failed to read takes no part in the duplicate check.
    for (const auto& d : r.diagnostics) CHECK(d.message.find("already used") == std::string::npos);
}

TEST_CASE("mqtt.uri: one node or a list of a cluster's nodes; mqtt.version auto", "[config]") {
    auto one = load_with("mqtt: { uri: \"tcp://b1:1883\", version: auto }\n");
    REQUIRE_LOADS(one);
    CHECK(one.config->mqtt.uris == std::vector<std::string>{"tcp://b1:1883"});
    CHECK(one.config->mqtt.version == 0);
    auto list = load_with("mqtt:\n  uri: [\"tcp://b1:1883\", \"ssl://b2:8883\"]\n  version: 3\n");
    REQUIRE_LOADS(list);
    CHECK(list.config->mqtt.uris == std::vector<std::string>{"tcp://b1:1883", "ssl://b2:8883"});
    CHECK(list.config->mqtt.uri == "tcp://b1:1883");
    CHECK(list.config->mqtt.tls.enabled);
    CHECK(list.config->mqtt.version == 3);
}

TEST_CASE("mqtt.uri list errors name the entry", "[config][errors]") {
    auto r = load_with("mqtt:\n  uri: [\"tcp://b1:1883\", \"mqtt://b2\", \"tcp://b1:1883\", 7]\n");
    REQUIRE_ERROR(r, 13, 26, "mqtt.uri: unsupported scheme 'mqtt'");
    REQUIRE_ERROR(r, 13, 39, "mqtt.uri: 'tcp://b1:1883' is listed twice");
    REQUIRE_ERROR(r, 13, 56, "mqtt.uri: '7' is not a broker URI");
    auto empty = load_with("mqtt: { uri: [] }\n");
    REQUIRE_ERROR(empty, 12, 14, "mqtt.uri: the list of broker URIs is empty");
    auto word = load_with("mqtt: { version: automatic }\n");
    CHECK_FALSE(word.config);
}

TEST_CASE("site coordinates and time zone", "[config][errors]") {
    auto r = load_string(
        "version: 1\n"
        "gateway: { id: g }\n"
        "site:\n"
        "  latitude: 91\n"
        "  longitude: -180.5\n"
        "  timezone: Europe/Bastad\n",
        "s.yaml");
    REQUIRE_ERROR(r, 4, 13, "site.latitude: 91 is out of range -90..90");
    REQUIRE_ERROR(r, 5, 14, "site.longitude: -180.5 is out of range -180..180");
    REQUIRE_ERROR(r, 6, 13, "site.timezone: unknown time zone 'Europe/Bastad'");
}

TEST_CASE("levels, floors, groups, fades", "[config][errors]") {
    auto r = load_string(R"(version: 1
gateway: { id: g }
site: { latitude: 0, longitude: 0, timezone: UTC }
dali: { buses: [ { id: bus1, interface: "foxtron://127.0.0.1:1" } ] }
areas:
  - { id: a, profile: p, dali_groups: { bus1: 16 }, power_on_level: 101 }
profiles:
  p:
    - { at: "sunset", level: 101 }
    - { at: "sunrise", level: -1, fade_s: -2 }
  q: { floor: 120, steps: [ { at: civil_dusk, level: 50 } ] }
)",
                         "l.yaml");
    REQUIRE_ERROR(r, 6, 47, "areas[0].dali_groups.bus1: 16 is out of range 0..15");
    REQUIRE_ERROR(r, 6, 69, "areas[0].power_on_level: 101 is out of range 0..100");
    REQUIRE_ERROR(r, 9, 30, "profiles.p[0].level: 101 is out of range 0..100");
    REQUIRE_ERROR(r, 10, 31, "profiles.p[1].level: -1 is out of range 0..100");
    REQUIRE_ERROR(r, 10, 43, "profiles.p[1].fade_s: -2 is out of range 0..3600");
    REQUIRE_ERROR(r, 11, 15, "profiles.q.floor: 120 is out of range 0..100");
}

TEST_CASE("bad time expressions point at the value", "[config][errors]") {
    auto r = load_with(
        "  fest:\n"
        "    - { at: \"sunset+10x\", level: 100 }\n"
        "    - { at: \"25:00\", level: 0 }\n"
        "    - { at: civil_dusk-1h30m, level: 50 }\n");
    REQUIRE_ERROR(r, 13, 13,
                  "profiles.fest[0].at: bad time expression 'sunset+10x': unknown offset unit 'x'");
    REQUIRE_ERROR(r, 14, 13, "profiles.fest[1].at: bad time expression '25:00'");
    INFO(dump(r.diagnostics));
    CHECK(r.diagnostics.size() == 2);  // civil_dusk-1h30m is fine
}

TEST_CASE("dates: MM-DD, YYYY-MM-DD and ranges", "[config][errors]") {
    auto r = load_with(
        "holidays:\n"
        "  h: [\"13-01\", \"02-30\", \"2023-02-29\", \"02-29\", \"2024-02-29\"]\n"
        "calendar:\n"
        "  - { dates: [\"12-20..01-06\", \"2024-01-05..2024-01-01\", \"1-1\", \"01-01..2024-01-02\"], "
        "profile: centrum }\n");
    REQUIRE_ERROR(r, 13, 7, "holidays.h[0]: '13-01' has month 13");
    REQUIRE_ERROR(r, 13, 16, "holidays.h[1]: '02-30' has no day 30");
    REQUIRE_ERROR(r, 13, 25, "holidays.h[2]: '2023-02-29' has no day 29");
    REQUIRE_ERROR(r, 15, 31, "calendar[0].dates[1]: range '2024-01-05..2024-01-01' ends before it starts");
    REQUIRE_ERROR(r, 15, 57, "calendar[0].dates[2]: '1-1' is not a date (expected MM-DD or YYYY-MM-DD)");
    REQUIRE_ERROR(r, 15, 64, "calendar[0].dates[3]: both ends of '01-01..2024-01-02' must use the same form");
    INFO(dump(r.diagnostics));
    CHECK(r.diagnostics.size() ==
          6);  // "12-20..01-06" crosses the new year and is fine; 02-29 yearly is fine
}

TEST_CASE("date ranges crossing the new year parse", "[config]") {
    auto r = load_with(
        "calendar:\n  - { name: jul, dates: [\"12-20..01-06\", \"06-19..06-21\", \"2024-12-31\"], profile: "
        "centrum }\n");
    REQUIRE_LOADS(r);
    const auto& dates = r.config->schedule.calendar.at(0).dates;
    REQUIRE(dates.size() == 3);
    CHECK(dates[0].first == DateSpec{0, 12, 20});
    CHECK(dates[0].last == DateSpec{0, 1, 6});
    CHECK(dates[2].first == DateSpec{2024, 12, 31});
    CHECK(dates[2].last == dates[2].first);
}

TEST_CASE("weekday names and ranges", "[config]") {
    auto r = load_with(
        "calendar:\n  - { weekdays: [mon, fry], profile: centrum }\n"
        "  - { weekdays: [sat..mon, wed], profile: centrum }\n");
    REQUIRE_ERROR(r, 13, 23, "calendar[0].weekdays[1]: 'fry' is not a weekday");
    auto ok = load_with("calendar:\n  - { weekdays: [sat..mon, wed], profile: centrum }\n");
    REQUIRE_LOADS(ok);
    CHECK(ok.config->schedule.calendar.at(0).weekdays ==
          WeekdaySet{true, false, true, false, false, true, true});
}

TEST_CASE("endpoints: URL and map forms", "[config]") {
    auto r = load_string(R"(version: 1
gateway: { id: g }
site: { latitude: 0, longitude: 0, timezone: UTC }
dali:
  buses:
    - { id: a, interface: "foxtron://127.0.0.1:55825" }
    - { id: b, interface: "hasseb:///dev/hidraw0" }
    - { id: c, interface: { type: foxtron, host: 10.0.0.2, port: 55825 } }
    - { id: d, interface: { type: hasseb, device: /dev/hidraw1 } }
)",
                         "e.yaml");
    REQUIRE_LOADS(r);
    const auto& b = r.config->dali.buses;
    CHECK(b[0].interface.host == "127.0.0.1");
    CHECK(b[0].interface.port == 55825);
    CHECK(b[1].interface.device == "/dev/hidraw0");
    CHECK(b[2].interface.to_string() == "foxtron://10.0.0.2:55825");
    CHECK(b[3].interface.to_string() == "hasseb:///dev/hidraw1");

    auto bad = load_string(R"(version: 1
gateway: { id: g }
site: { latitude: 0, longitude: 0, timezone: UTC }
dali:
  buses:
    - { id: a, interface: "localhost:55825" }
    - { id: b, interface: { type: hasseb } }
    - { id: c, interface: { type: foxtron, host: h } }
)",
                           "e.yaml");
    REQUIRE_ERROR(bad, 6, 27, "dali.buses[0].interface: 'localhost:55825' is not an endpoint URL");
    REQUIRE_ERROR(bad, 7, 27, "dali.buses[1].interface: missing required key 'host' or 'device'");
    REQUIRE_ERROR(bad, 8, 27, "dali.buses[2].interface: missing required key 'port'");
}

TEST_CASE("unknown DALI interface protocols are rejected with the known ones", "[config]") {
    auto bad = load_string(R"(version: 1
gateway: { id: g }
site: { latitude: 0, longitude: 0, timezone: UTC }
dali:
  buses:
    - { id: a, interface: "daliserver://127.0.0.1:55825" }
    - { id: b, interface: "hasseb://10.0.0.1:5" }
)",
                           "e.yaml");
    REQUIRE_ERROR(bad, 6, 27,
                  "dali.buses[0].interface: unknown DALI interface protocol 'daliserver' (known: foxtron, hasseb)");
    REQUIRE_ERROR(bad, 7, 27, "dali.buses[1].interface: hasseb is a USB HID device");
}
