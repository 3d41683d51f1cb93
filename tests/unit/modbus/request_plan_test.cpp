// Request merging: contiguous values of one table become one read, within the
// protocol limits (125 registers, 2000 bits) and the template's own limit.
#include <catch2/catch.hpp>

#include <numeric>

#include "drivers/modbus/request_plan.hpp"
#include "drivers/modbus/template_loader.hpp"

using namespace lykta::modbus;

namespace {

ValueSpec value(RegisterType table, int address, DataType type, std::string group = "default") {
    ValueSpec v;
    v.name = "v" + std::to_string(address);
    v.table = table;
    v.address = address;
    v.type = type;
    v.group = std::move(group);
    return v;
}

std::vector<std::size_t> all(const DeviceTemplate& t) {
    std::vector<std::size_t> i(t.values.size());
    std::iota(i.begin(), i.end(), 0);
    return i;
}

}  // namespace

TEST_CASE("contiguous registers of one table merge; tables and gaps split") {
    DeviceTemplate t;
    t.values = {value(RegisterType::input, 2, DataType::f32),   value(RegisterType::input, 0, DataType::f32),
                value(RegisterType::input, 4, DataType::u16),   value(RegisterType::input, 10, DataType::u16),
                value(RegisterType::holding, 5, DataType::u16), value(RegisterType::coil, 0, DataType::bit),
                value(RegisterType::coil, 1, DataType::bit)};
    auto plan = plan_reads(t, all(t));
    REQUIRE(plan.size() == 4);
    CHECK(plan[0] == ReadRequest{RegisterType::coil, 0, 2, {5, 6}});
    CHECK(plan[1] == ReadRequest{RegisterType::input, 0, 5, {1, 0, 2}});
    CHECK(plan[2] == ReadRequest{RegisterType::input, 10, 1, {3}});
    CHECK(plan[3] == ReadRequest{RegisterType::holding, 5, 1, {4}});
}

TEST_CASE("gaps up to max_gap are read through") {
    DeviceTemplate t;
    t.values = {value(RegisterType::input, 0, DataType::f32), value(RegisterType::input, 6, DataType::f32)};
    CHECK(plan_reads(t, all(t)).size() == 2);
    t.max_gap = 4;
    auto plan = plan_reads(t, all(t));
    REQUIRE(plan.size() == 1);
    CHECK(plan[0].count == 8);
    t.max_gap = 3;
    CHECK(plan_reads(t, all(t)).size() == 2);
}

TEST_CASE("reads are split at 125 registers and at the template's limit") {
    DeviceTemplate t;
    for (int a = 0; a < 200; a += 2) t.values.push_back(value(RegisterType::holding, a, DataType::f32));
    auto plan = plan_reads(t, all(t));
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].address == 0);
    CHECK(plan[0].count == 124);  // a float never straddles two reads
    CHECK(plan[1].address == 124);
    CHECK(plan[1].count == 76);
    t.max_read_registers = 80;
    plan = plan_reads(t, all(t));
    REQUIRE(plan.size() == 3);
    CHECK(plan[0].count == 80);
    CHECK(plan[1].count == 80);
    CHECK(plan[2].count == 40);
}

TEST_CASE("bit reads are split at 2000 bits") {
    DeviceTemplate t;
    for (int a = 0; a < 2500; ++a) t.values.push_back(value(RegisterType::discrete_input, a, DataType::bit));
    auto plan = plan_reads(t, all(t));
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].count == 2000);
    CHECK(plan[1].address == 2000);
    CHECK(plan[1].count == 500);
}

TEST_CASE("the shipped SDM630 power group is one FC04 read") {
    auto loaded = load_template_file(std::string(LYKTA_SOURCE_DIR) + "/config/templates/sdm630.yaml");
    REQUIRE(loaded.device_template);
    const auto& t = *loaded.device_template;
    auto power = values_in_group(t, "power");
    auto plan = plan_reads(t, power);
    REQUIRE(plan.size() == 1);
    CHECK(plan[0].table == RegisterType::input);
    CHECK(plan[0].address == 0);
    CHECK(plan[0].count == 0x4C);
    CHECK(plan[0].values.size() == power.size());
    auto energy = values_in_group(t, "energy");
    REQUIRE(plan_reads(t, energy).size() == 1);
    CHECK(plan_reads(t, energy)[0].address == 0x156);
}
