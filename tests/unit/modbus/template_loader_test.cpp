// Device templates: the shipped ones load and carry the Eastron register map;
// every class of template error is reported at its TEMPLATE:LINE:COL.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "drivers/modbus/template_loader.hpp"
#include "tests/unit/support/diagnostics_text.hpp"

using namespace lykta;
using lykta::test::dump;
using namespace lykta::modbus;

namespace {

const std::string shipped = std::string(LYKTA_SOURCE_DIR) + "/config/templates";

bool has_error(const TemplateLoad& r, int line, int col, const std::string& text) {
    for (const auto& d : r.diagnostics)
        if (d.pos.file == "t.yaml" && d.pos.line == line && d.pos.col == col &&
            d.message.find(text) != std::string::npos)
            return true;
    return false;
}

#define REQUIRE_TEMPLATE_ERROR(yaml, line, col, text)        \
    do {                                                     \
        auto r_ = load_template_string(yaml, "t", "t.yaml"); \
        INFO("diagnostics:\n" << dump(r_.diagnostics));      \
        REQUIRE_FALSE(r_.device_template.has_value());       \
        REQUIRE(has_error(r_, line, col, text));             \
    } while (0)

DeviceTemplate shipped_template(const std::string& name) {
    auto r = load_template_file(shipped + "/" + name + ".yaml");
    INFO(dump(r.diagnostics));
    REQUIRE(r.device_template);
    return *r.device_template;
}

}  // namespace

TEST_CASE("shipped sdm630 template matches the Eastron input register map") {
    auto t = shipped_template("sdm630");
    struct Expect {
        const char* name;
        int address;
        const char* unit;
    };
    for (auto e :
         {Expect{"voltage_l1", 0x00, "V"}, Expect{"voltage_l2", 0x02, "V"}, Expect{"voltage_l3", 0x04, "V"},
          Expect{"current_l1", 0x06, "A"}, Expect{"current_l2", 0x08, "A"}, Expect{"current_l3", 0x0A, "A"},
          Expect{"power_l1", 0x0C, "W"}, Expect{"power_l2", 0x0E, "W"}, Expect{"power_l3", 0x10, "W"},
          Expect{"power_factor_l1", 0x1E, ""}, Expect{"total_power", 0x34, "W"},
          Expect{"total_power_factor", 0x3E, ""}, Expect{"frequency", 0x46, "Hz"},
          Expect{"import_energy", 0x48, "kWh"}, Expect{"total_energy", 0x156, "kWh"}}) {
        INFO(e.name);
        const ValueSpec* v = t.find(e.name);
        REQUIRE(v);
        CHECK(v->address == e.address);
        CHECK(v->unit == e.unit);
        CHECK(v->table == RegisterType::input);
        CHECK(v->type == DataType::f32);
        CHECK(v->order == WordOrder::abcd);
    }
    CHECK(t.max_read_registers == 80);
    REQUIRE(t.find_role(Role::energy_import));
    CHECK(t.find_role(Role::energy_import)->name == "import_energy");
    CHECK(t.find_role(Role::active_power)->name == "total_power");
}

TEST_CASE("shipped sdm120 and relay-di-8 templates load with their roles") {
    auto sdm120 = shipped_template("sdm120");
    CHECK(sdm120.find("voltage")->address == 0x00);
    CHECK(sdm120.find("power")->address == 0x0C);
    CHECK(sdm120.find("import_energy")->address == 0x48);
    auto io = shipped_template("relay-di-8");
    int coils = 0, inputs = 0;
    for (const auto& v : io.values) {
        coils += v.table == RegisterType::coil;
        inputs += v.table == RegisterType::discrete_input;
    }
    CHECK(coils == 8);
    CHECK(inputs == 8);
    REQUIRE(io.find_role(Role::door_open));
    CHECK(io.find_role(Role::door_open)->table == RegisterType::discrete_input);
    CHECK(io.find_role(Role::contactor_feedback)->table == RegisterType::discrete_input);
    CHECK(io.find_role(Role::contactor_output)->table == RegisterType::coil);
}

TEST_CASE("a minimal template gets defaults") {
    auto r =
        load_template_string("values:\n  - { name: a, register: holding, address: 0x10 }\n", "t", "t.yaml");
    INFO(dump(r.diagnostics));
    REQUIRE(r.device_template);
    const auto& v = r.device_template->values.at(0);
    CHECK(v.address == 16);
    CHECK(v.type == DataType::u16);
    CHECK(v.group == "default");
    CHECK(r.device_template->groups.size() == 1);
    CHECK_FALSE(r.device_template->write_multiple);
    auto fc16 = load_template_string(
        "write_multiple: true\nvalues:\n  - { name: a, register: holding, address: 1 }\n", "t", "t.yaml");
    REQUIRE(fc16.device_template);
    CHECK(fc16.device_template->write_multiple);
    REQUIRE_TEMPLATE_ERROR("write_multiple: 3\nvalues:\n  - { name: a, register: holding, address: 1 }\n", 1,
                           17, "write_multiple");
}

TEST_CASE("template errors carry the template file, line and column") {
    SECTION("syntax") {
        REQUIRE_TEMPLATE_ERROR("values: [\n", 2, 1, "YAML syntax error");
    }
    SECTION("unknown key") {
        REQUIRE_TEMPLATE_ERROR("values:\n  - { name: a, register: input, address: 0, scael: 2 }\n", 2, 45,
                               "scael");
    }
    SECTION("missing values") {
        REQUIRE_TEMPLATE_ERROR("description: x\n", 1, 1, "values");
    }
    SECTION("unknown register type") {
        REQUIRE_TEMPLATE_ERROR("values:\n  - { name: a, register: inputs, address: 0 }\n", 2, 26,
                               "unknown register 'inputs'");
    }
    SECTION("bad address") {
        REQUIRE_TEMPLATE_ERROR("values:\n  - { name: a, register: input, address: 0x1ffff }\n", 2, 42,
                               "not a register address");
    }
    SECTION("unknown data type") {
        REQUIRE_TEMPLATE_ERROR("values:\n  - { name: a, register: input, address: 0, type: f64 }\n", 2, 51,
                               "unknown type 'f64'");
    }
    SECTION("bit type on a register") {
        REQUIRE_TEMPLATE_ERROR("values:\n  - { name: a, register: input, address: 0, type: bit }\n", 2, 51,
                               "16 bits wide");
    }
    SECTION("register type on a coil") {
        REQUIRE_TEMPLATE_ERROR("values:\n  - { name: a, register: coil, address: 0, type: f32 }\n", 2, 50,
                               "single bits");
    }
    SECTION("unknown word order") {
        REQUIRE_TEMPLATE_ERROR("values:\n  - { name: a, register: input, address: 0, word_order: big }\n", 2,
                               57, "unknown word_order 'big'");
    }
    SECTION("unknown poll group") {
        REQUIRE_TEMPLATE_ERROR(
            "poll_groups: [{ name: fast }]\nvalues:\n  - { name: a, register: input, address: 0, group: slow "
            "}\n",
            3, 52, "no poll group 'slow'");
    }
    SECTION("unknown role") {
        REQUIRE_TEMPLATE_ERROR("values:\n  - { name: a, register: coil, address: 0, role: door }\n", 2, 50,
                               "unknown role 'door'");
    }
    SECTION("contactor output on a read-only table") {
        REQUIRE_TEMPLATE_ERROR(
            "values:\n  - { name: a, register: discrete_input, address: 0, role: contactor_output }\n", 2, 60,
            "coil or holding");
    }
    SECTION("duplicate names") {
        REQUIRE_TEMPLATE_ERROR(
            "values:\n  - { name: a, register: input, address: 0 }\n  - { name: a, register: input, address: "
            "1 }\n",
            3, 5, "defined twice");
    }
    SECTION("overlapping registers") {
        REQUIRE_TEMPLATE_ERROR(
            "values:\n  - { name: a, register: input, address: 0, type: f32 }\n  - { name: b, register: "
            "input, address: 1 }\n",
            3, 5, "overlaps value 'a' (line 2)");
    }
    SECTION("negative deadband") {
        REQUIRE_TEMPLATE_ERROR("values:\n  - { name: a, register: input, address: 0, deadband: -1 }\n", 2, 55,
                               "out of range");
    }
    SECTION("name differs from file") {
        REQUIRE_TEMPLATE_ERROR("name: other\nvalues:\n  - { name: a, register: input, address: 0 }\n", 1, 7,
                               "differs from the file name 't'");
    }
}
