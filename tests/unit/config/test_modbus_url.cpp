// modbus.networks[].url: the short form of a network (gateway/config/modbus_url.hpp),
// the parser alone and through the loader with FILE:LINE:COL diagnostics.
#include "config_test_support.hpp"
#include "gateway/config/modbus_url.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

namespace {

// The problem parsing `url` reports ("" when none) and where.
std::pair<std::string, std::size_t> problem(const std::string& url) {
    ModbusNetwork n;
    auto p = parse_modbus_url(url, n);
    return p ? std::pair{p->message, p->offset} : std::pair{std::string(), std::size_t{0}};
}

}  // namespace

TEST_CASE("an RTU URL gives the device and the serial settings", "[config][modbus][url]") {
    ModbusNetwork n;
    REQUIRE_FALSE(
        parse_modbus_url("modbus+rtu:///dev/ttyUSB0?baud=19200&parity=E&stop_bits=2&rs485=true"
                         "&data_bits=7&byte_timeout_s=0.02&response_timeout_s=0.3&reopen_after_s=5",
                         n));
    CHECK(n.type == "rtu");
    CHECK(n.device == "/dev/ttyUSB0");
    CHECK(n.baud == 19200);
    CHECK(n.parity == 'E');
    CHECK(n.stop_bits == 2);
    CHECK(n.data_bits == 7);
    CHECK(n.rs485);
    CHECK(n.byte_timeout_s == 0.02);
    CHECK(n.response_timeout_s == 0.3);
    CHECK(n.reopen_after_s == 5);

    ModbusNetwork plain;
    REQUIRE_FALSE(parse_modbus_url("modbus+rtu:///dev/serial/by-id/usb-FTDI_FT232R-if00-port0", plain));
    CHECK(plain.device == "/dev/serial/by-id/usb-FTDI_FT232R-if00-port0");
    CHECK(plain.baud == 9600);  // the long form's defaults
    CHECK(plain.parity == 'N');
    CHECK_FALSE(plain.rs485);

    ModbusNetwork escaped;
    REQUIRE_FALSE(parse_modbus_url("modbus+rtu:///dev/odd%3Fname%20", escaped));
    CHECK(escaped.device == "/dev/odd?name ");
}

TEST_CASE("a TCP URL gives host, port and pipeline", "[config][modbus][url]") {
    ModbusNetwork n;
    REQUIRE_FALSE(parse_modbus_url("modbus+tcp://192.0.2.10:1502?pipeline=10", n));
    CHECK(n.type == "tcp");
    CHECK(n.host == "192.0.2.10");
    CHECK(n.port == 1502);
    CHECK(n.pipeline == 10);

    ModbusNetwork d;
    REQUIRE_FALSE(parse_modbus_url("modbus+tcp://meter.cabinet.local/", d));
    CHECK(d.host == "meter.cabinet.local");
    CHECK(d.port == 502);
    CHECK(d.pipeline == 1);

    ModbusNetwork v6;
    REQUIRE_FALSE(parse_modbus_url("modbus+tcp://[::1]:5020", v6));
    CHECK(v6.host == "::1");
    CHECK(v6.port == 5020);
}

TEST_CASE("a bad Modbus URL says what and where", "[config][modbus][url]") {
    using P = std::pair<std::string, std::size_t>;
    CHECK(problem("") == P{"not a Modbus URL (modbus+rtu:///DEVICE?... or modbus+tcp://HOST:PORT?...)", 0});
    CHECK(problem("modbus://h:502") == P{"unknown scheme 'modbus' (modbus+rtu or modbus+tcp)", 0});
    CHECK(problem("modbus+rtu://dev/ttyUSB0") ==
          P{"a modbus+rtu URL names a serial device: modbus+rtu:///dev/ttyUSB0", 13});
    CHECK(problem("modbus+rtu:///") == P{"no serial device after 'modbus+rtu://'", 13});
    CHECK(problem("modbus+rtu:///dev/x?baud=fast") ==
          P{"'baud' must be a whole number 1..10000000, not 'fast'", 25});
    CHECK(problem("modbus+rtu:///dev/x?parity=X") == P{"'parity' must be N, E or O, not 'X'", 27});
    CHECK(problem("modbus+rtu:///dev/x?data_bits=9") ==
          P{"'data_bits' must be a whole number 5..8, not '9'", 30});
    CHECK(problem("modbus+rtu:///dev/x?rs485=yes") == P{"'rs485' must be true or false, not 'yes'", 26});
    CHECK(problem("modbus+rtu:///dev/x?pipeline=2") ==
          P{"unknown rtu setting 'pipeline' (known: response_timeout_s, reopen_after_s, baud, parity, "
            "data_bits, "
            "stop_bits, rs485, byte_timeout_s)",
            20});
    CHECK(problem("modbus+rtu:///dev/x?baud=9600&baud=19200") == P{"'baud' is given twice", 30});
    CHECK(problem("modbus+rtu:///dev/x?baud") == P{"'baud' in the query is not KEY=VALUE", 20});
    CHECK(problem("modbus+rtu:///dev/x?") == P{"'' in the query is not KEY=VALUE", 20});
    CHECK(problem("modbus+rtu:///dev/%zz") == P{"'%' must be followed by two hex digits", 18});
    CHECK(problem("modbus+tcp://:502") == P{"a modbus+tcp URL needs a host: modbus+tcp://HOST[:PORT]", 13});
    CHECK(problem("modbus+tcp://h:0") == P{"port '0' is not 1..65535", 15});
    CHECK(problem("modbus+tcp://h:") == P{"':' without a port", 14});
    CHECK(problem("modbus+tcp://h:502/unit/1") == P{"a modbus+tcp URL has no path", 18});
    CHECK(problem("modbus+tcp://h?pipeline=17") ==
          P{"'pipeline' must be a whole number 1..16, not '17'", 24});
    CHECK(problem("modbus+tcp://h?baud=9600") ==
          P{"unknown tcp setting 'baud' (known: response_timeout_s, reopen_after_s, pipeline)", 15});
    CHECK(problem("modbus+tcp://h?response_timeout_s=0") ==
          P{"'response_timeout_s' must be a number > 0, not '0'", 34});
    CHECK(problem("modbus+tcp://[::1:502") == P{"'[' without ']' around an IPv6 address", 13});
    CHECK(problem("modbus+tcp://u@h:502") == P{"a modbus+tcp URL has no user part", 14});
    CHECK(problem("modbus+tcp://h:502#x") == P{"a Modbus URL has no '#fragment'", 18});
}

TEST_CASE("modbus networks given by url load like the long form", "[config][modbus][url]") {
    auto r = load_with(R"(modbus:
  networks:
    - { id: cab, url: "modbus+rtu:///dev/ttyUSB0?baud=19200&parity=E&rs485=true" }
    - { id: lan, url: "modbus+tcp://127.0.0.1:1502?pipeline=4", response_timeout_s: 0.3 }
  devices:
    - { id: meter1, network: cab, unit: 1, template: sdm630 }
    - { id: io1, network: lan, unit: 255, template: relay-di-8 }
)");
    REQUIRE_LOADS(r);
    const auto& m = r.config->modbus;
    CHECK(m.networks[0].type == "rtu");
    CHECK(m.networks[0].device == "/dev/ttyUSB0");
    CHECK(m.networks[0].baud == 19200);
    CHECK(m.networks[0].parity == 'E');
    CHECK(m.networks[0].rs485);
    CHECK(m.networks[1].type == "tcp");
    CHECK(m.networks[1].port == 1502);
    CHECK(m.networks[1].pipeline == 4);
    CHECK(m.networks[1].response_timeout_s == 0.3);
}

TEST_CASE("a bad network url is reported at its FILE:LINE:COL", "[config][modbus][url][errors]") {
    auto r = load_with(R"(modbus:
  networks:
    - { id: a, url: modbus+tcp://h:70000 }
    - { id: b, url: "modbus+rtu:///dev/x?parity=Q" }
    - { id: c, url: modbus+tcp://h, baud: 9600, type: tcp }
    - { id: d, url: "modbus+tcp://h?response_timeout_s=1", response_timeout_s: 2 }
    - { id: e }
)");
    REQUIRE_ERROR(r, 14, 36, "modbus.networks[0].url: 'modbus+tcp://h:70000': port '70000' is not 1..65535");
    REQUIRE_ERROR(
        r, 15, 49,
        "modbus.networks[1].url: 'modbus+rtu:///dev/x?parity=Q': 'parity' must be N, E or O, not 'Q'");
    REQUIRE_ERROR(r, 16, 43, "modbus.networks[2].baud: 'baud' goes in the url's query when 'url' is given");
    REQUIRE_ERROR(r, 16, 55, "modbus.networks[2].type: the url gives the type");
    REQUIRE_ERROR(r, 17, 80,
                  "modbus.networks[3].response_timeout_s: 'response_timeout_s' is given in the url too");
    REQUIRE_ERROR(r, 18, 7, "modbus.networks[4]: missing required key 'url' (or 'type' and its keys)");
}
