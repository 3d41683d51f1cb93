// The templates a config's Modbus devices name: found in the template dirs in
// order, unknown or broken ones reported where the config or template says,
// contactor outputs checked against their device's template.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "gateway/cabinet/configured_templates.hpp"
#include "tests/unit/support/diagnostics_text.hpp"

using namespace lykta;
using lykta::test::dump;
using namespace lykta::cabinet;
using lykta::modbus::contactor_output;

namespace {

const std::string shipped = std::string(LYKTA_SOURCE_DIR) + "/config/templates";

}  // namespace

TEST_CASE("templates are found in the configured folders in order, unknown ones reported at the device") {
    auto dir = std::filesystem::temp_directory_path() / ("lykta-tpl-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        std::ofstream(dir / "mine.yaml") << "values:\n  - { name: x, register: holding, address: 3 }\n";
        std::ofstream(dir / "broken.yaml") << "values:\n  - { name: x, register: holding }\n";
    }
    config::ModbusConfig cfg;
    cfg.template_dirs = {dir.string(), shipped};
    config::ModbusDevice a, b, c, d;
    a.template_name = "mine";
    b.template_name = "sdm630";
    c.template_name = "nope";
    c.template_pos = {"lykta.yaml", 40, 17};
    d.template_name = "broken";
    cfg.devices = {a, b, c, d};
    auto set = load_templates(cfg);
    INFO(dump(set.diagnostics));
    CHECK(set.templates.count("mine"));
    CHECK(set.templates.count("sdm630"));
    REQUIRE(set.diagnostics.size() == 2);
    CHECK(set.diagnostics[0].pos.file == "lykta.yaml");
    CHECK(set.diagnostics[0].pos.line == 40);
    CHECK(set.diagnostics[0].message.find("modbus.devices[2].template: no template 'nope'") !=
          std::string::npos);
    CHECK(set.diagnostics[1].pos.file == (dir / "broken.yaml").string());
    CHECK(set.diagnostics[1].pos.line == 2);
    CHECK(set.diagnostics[1].message.find("address") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a contactor must name a writable value of its device's template") {
    config::ModbusConfig cfg;
    cfg.template_dirs = {shipped};
    config::ModbusDevice io, meter;
    io.id = "io1";
    io.template_name = "relay-di-8";
    meter.id = "meter1";
    meter.template_name = "sdm630";
    cfg.devices = {io, meter};
    auto contactor = [](std::string device, std::string value, int line) {
        config::ModbusContactor c;
        c.device = std::move(device);
        c.value = std::move(value);
        c.areas = {"torget"};
        c.value_pos = {"lykta.yaml", line, 30};
        return c;
    };
    cfg.contactors = {contactor("io1", "", 50),          contactor("io1", "relay_2", 51),
                      contactor("io1", "door_open", 52), contactor("io1", "relay9", 53),
                      contactor("meter1", "", 54),       contactor("nope", "x", 55)};
    auto set = load_templates(cfg);
    INFO(dump(set.diagnostics));
    REQUIRE(set.diagnostics.size() == 3);
    CHECK(set.diagnostics[0].pos.line == 52);
    CHECK(
        set.diagnostics[0].message ==
        "modbus.contactors[2].value: 'door_open' is a read-only discrete_input; a contactor needs a coil or "
        "holding register");
    CHECK(set.diagnostics[1].pos.line == 53);
    CHECK(set.diagnostics[1].message ==
          "modbus.contactors[3].value: template 'relay-di-8' has no value 'relay9'");
    CHECK(set.diagnostics[2].pos.line == 54);
    CHECK(set.diagnostics[2].message.find("has no value with role contactor_output") != std::string::npos);
    // Unnamed: the role. Named: that value.
    const auto& t = set.templates.at("relay-di-8");
    CHECK(contactor_output(t, "")->name == "contactor");
    CHECK(contactor_output(t, "relay_2")->name == "relay_2");
}
