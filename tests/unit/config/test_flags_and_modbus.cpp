// safety_flags and modbus sections.
#include "config_test_support.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

TEST_CASE("standing safety flags: defaults and recurrence", "[config][flags]") {
    auto r = load_with(
        "safety_flags:\n"
        "  - { area: torget, source: \"Trygghetsmätning 2021\", from: 2022-01-01, until: 2022-12-31 }\n"
        "  - id: kvall\n"
        "    area: torget\n"
        "    profile: centrum\n"
        "    from: \"2022-01-01T20:00:00+01:00\"\n"
        "    until: \"2022-01-01T19:30:00Z\"\n"
        "    recurrence: { weekdays: [fri, sat], from: \"20:00\", to: \"04:00\" }\n"
        "  - { area: torget }\n");
    REQUIRE_LOADS(r);
    const auto& f = r.config->safety_flags;
    REQUIRE(f.size() == 3);
    CHECK(f[0].id == "cfg-1");
    CHECK(f[0].source == "Trygghetsmätning 2021");
    CHECK(f[0].from == "2022-01-01");
    CHECK(f[1].id == "kvall");
    CHECK(f[1].profile == "centrum");
    REQUIRE(f[1].recurrence);
    CHECK(f[1].recurrence->to_minutes == 240);
    CHECK(f[2].id == "cfg-3");
    CHECK_FALSE(f[2].recurrence);
}

TEST_CASE("safety flag errors", "[config][flags][errors]") {
    auto r = load_with(
        "safety_flags:\n"
        "  - { area: torget, from: 2022-02-01, until: 2022-01-31 }\n"
        "  - { area: torget, from: \"2022-01-01T20:00:00\", until: 2022-13-01 }\n"
        "  - { area: torget, recurrence: { weekdays: [fri], from: \"20:00\", to: \"28:00\" } }\n"
        "  - { source: x }\n");
    REQUIRE_ERROR(r, 13, 46, "safety_flags[0].until: '2022-01-31' is not after from '2022-02-01'");
    REQUIRE_ERROR(r, 14, 27, "safety_flags[1].from: '2022-01-01T20:00:00' needs a UTC offset");
    REQUIRE_ERROR(r, 14, 57, "safety_flags[1].until: '2022-13-01' has month 13");
    REQUIRE_ERROR(r, 15, 71, "safety_flags[2].recurrence.to: '28:00' is not a clock time HH:MM");
    REQUIRE_ERROR(r, 16, 5, "safety_flags[3]: missing required key 'area'");
}

TEST_CASE("a flag may start and end on the same day", "[config][flags]") {
    auto r = load_with("safety_flags:\n  - { area: torget, from: 2022-06-01, until: 2022-06-01 }\n");
    REQUIRE_LOADS(r);
}

TEST_CASE("modbus networks and devices", "[config][modbus]") {
    auto r = load_with(R"(modbus:
  networks:
    - { id: cab, type: rtu, device: /dev/ttyUSB0, baud: 19200, parity: E, stop_bits: 2, rs485: true }
    - { id: lan, type: tcp, host: 127.0.0.1, port: 1502 }
  devices:
    - { id: meter1, network: cab, unit: 1, template: sdm630, poll_s: 10, areas: [torget] }
    - { id: io1, network: lan, unit: 255, template: relay-di-8 }
)");
    REQUIRE_LOADS(r);
    const auto& m = r.config->modbus;
    CHECK(m.networks[0].parity == 'E');
    CHECK(m.networks[0].baud == 19200);
    CHECK(m.networks[0].stop_bits == 2);
    CHECK(m.networks[0].rs485);
    CHECK(m.networks[1].port == 1502);
    CHECK(m.devices[0].template_name == "sdm630");
    CHECK(m.devices[0].areas == std::vector<std::string>{"torget"});
    CHECK(m.devices[1].poll_s == 10);
}

TEST_CASE("modbus errors", "[config][modbus][errors]") {
    auto r = load_with(R"(modbus:
  networks:
    - { id: cab, type: rtu, parity: X, data_bits: 9, host: h }
    - { id: lan, type: tcp, baud: 9600 }
    - { id: x, type: udp }
  devices:
    - { id: m, network: cab, unit: 0, template: sdm630 }
    - { id: d, network: lan, unit: 1 }
)");
    REQUIRE_ERROR(r, 14, 7, "modbus.networks[0]: missing required key 'device'");
    REQUIRE_ERROR(r, 14, 37, "modbus.networks[0].parity: 'X' is not N, E or O");
    REQUIRE_ERROR(r, 14, 51, "modbus.networks[0].data_bits: 9 is out of range 5..8");
    REQUIRE_ERROR(r, 14, 60, "modbus.networks[0].host: 'host' applies to tcp networks only");
    REQUIRE_ERROR(r, 15, 7, "modbus.networks[1]: missing required key 'host'");
    REQUIRE_ERROR(r, 15, 35, "modbus.networks[1].baud: 'baud' applies to rtu networks only");
    REQUIRE_ERROR(r, 16, 22, "modbus.networks[2].type: unknown network type 'udp' (rtu or tcp)");
    REQUIRE_ERROR(r, 18, 36, "modbus.devices[0].unit: 0 is out of range 1..247 for an rtu network");
    REQUIRE_ERROR(r, 19, 7, "modbus.devices[1]: missing required key 'template'");
}

TEST_CASE("mqtt extras: version 3, TLS by scheme, limits", "[config][mqtt]") {
    auto r = load_with(
        "mqtt: { uri: \"wss://broker.example:443/mqtt\", version: 3, max_payload: 1024, "
        "rate_limit_per_s: 5, client_id: other, prefix: city/lykta }\n");
    REQUIRE_LOADS(r);
    const auto& m = r.config->mqtt;
    CHECK(m.version == 3);
    CHECK(m.tls.enabled);
    CHECK(m.max_payload == 1024);
    CHECK(m.rate_limit_per_s == 5);
    CHECK(m.client_id == "other");
    CHECK(m.prefix == "city/lykta");

    auto bad = load_with("mqtt: { prefix: \"lykta/#\", uri: \"mqtt://x:1\", tls: { cert_file: c.pem } }\n");
    REQUIRE_ERROR(bad, 12, 17, "mqtt.prefix: 'lykta/#' is not a usable topic prefix");
    REQUIRE_ERROR(bad, 12, 33, "mqtt.uri: unsupported scheme 'mqtt'");
    REQUIRE_ERROR(bad, 12, 52, "mqtt.tls: cert_file and key_file must be given together");
}

TEST_CASE("modbus contactors and write_multiple", "[config][modbus]") {
    auto r = load_with(R"(modbus:
  networks:
    - { id: lan, type: tcp, host: 127.0.0.1 }
  devices:
    - { id: io1, network: lan, unit: 2, template: relay-di-8, write_multiple: true }
  contactors:
    - { device: io1, areas: [torget] }
    - { device: io1, value: relay_2, areas: [torget], retry_s: 5, power_up_s: 0.5 }
)");
    REQUIRE_LOADS(r);
    const auto& m = r.config->modbus;
    CHECK(m.devices[0].write_multiple);
    REQUIRE(m.contactors.size() == 2);
    CHECK(m.contactors[0].device == "io1");
    CHECK(m.contactors[0].value.empty());
    CHECK(m.contactors[0].areas == std::vector<std::string>{"torget"});
    CHECK(m.contactors[0].retry_s == 2);
    CHECK(m.contactors[0].value_pos.line == 18);
    CHECK(m.contactors[1].value == "relay_2");
    CHECK(m.contactors[1].retry_s == 5);
    CHECK(m.contactors[0].power_up_s == 2);
    CHECK(m.contactors[1].power_up_s == 0.5);
    CHECK(m.contactors[1].value_pos.line == 19);
    CHECK(m.contactors[1].value_pos.col == 29);
}

TEST_CASE("modbus contactor errors", "[config][modbus][errors]") {
    auto r = load_with(R"(modbus:
  networks:
    - { id: lan, type: tcp, host: 127.0.0.1 }
  devices:
    - { id: io1, network: lan, unit: 2, template: relay-di-8 }
  contactors:
    - { device: io2, areas: [torget, hamn], retry: 1 }
    - { device: io1, areas: [] }
    - { device: io1, value: relay_2, areas: [torget] }
    - { device: io1, value: relay_2, areas: [torget], retry_s: 0 }
    - { device: io1 }
)");
    REQUIRE_ERROR(r, 18, 17, "modbus.contactors[0].device: unknown device 'io2' (did you mean 'io1'?)");
    REQUIRE_ERROR(r, 18, 38, "modbus.contactors[0].areas[1]: unknown area 'hamn'");
    REQUIRE_ERROR(r, 18, 45, "modbus.contactors[0]: unknown key 'retry' (did you mean 'retry_s'?)");
    REQUIRE_ERROR(r, 19, 29, "modbus.contactors[1].areas: a contactor must feed at least one area");
    REQUIRE_ERROR(r, 21, 17, "this output of device 'io1' is already switched by the entry at line 20");
    REQUIRE_ERROR(r, 21, 64, "modbus.contactors[3].retry_s: 0 must be greater than 0");
    REQUIRE_ERROR(r, 22, 7, "modbus.contactors[4]: missing required key 'areas'");
}

TEST_CASE("modbus contactor power_up_s must be a positive number", "[config][modbus][errors]") {
    auto r = load_with(R"(modbus:
  networks:
    - { id: lan, type: tcp, host: 127.0.0.1 }
  devices:
    - { id: io1, network: lan, unit: 2, template: relay-di-8 }
  contactors:
    - { device: io1, areas: [torget], power_up_s: 0 }
    - { device: io1, value: relay_2, areas: [torget], power_up_s: soon }
)");
    REQUIRE_ERROR(r, 18, 51, "modbus.contactors[0].power_up_s: 0 must be greater than 0");
    REQUIRE_ERROR(r, 19, 67, "modbus.contactors[1].power_up_s:");
}
