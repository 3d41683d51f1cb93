// The state payload and the observer edges, from a DeviceState fed by hand.
#include <catch2/catch.hpp>

#include "drivers/modbus/template_loader.hpp"
#include "gateway/cabinet/meter_state.hpp"

using namespace lykta;
using namespace lykta::cabinet;
using namespace std::chrono_literals;

namespace {

modbus::DeviceTemplate load(const std::string& name) {
    auto r =
        modbus::load_template_file(std::string(LYKTA_SOURCE_DIR) + "/config/templates/" + name + ".yaml");
    REQUIRE(r.device_template);
    return *r.device_template;
}

modbus::ReadResult bits(std::vector<std::uint8_t> b) {
    modbus::ReadResult r;
    r.bits = std::move(b);
    return r;
}

}  // namespace

TEST_CASE("the state payload carries named values with units, available and ts") {
    auto t = load("sdm630");
    modbus::DeviceState state(t, 3, 300);
    modbus::ReadRequest req{modbus::RegisterType::input, 0, 2, {0}};  // voltage_l1 only
    modbus::ReadResult r;
    r.words = {0x4366, 0x8000};  // 230.5
    SystemTime now = SystemTime{} + 1764003900s;
    state.apply(req, r, now);
    auto p = state_payload(state, now);
    CHECK(p["available"] == true);
    CHECK(p["ts"] == "2025-11-24T17:05:00.000Z");
    CHECK(p["values"]["voltage_l1"]["value"] == 230.5);
    CHECK(p["values"]["voltage_l1"]["unit"] == "V");
    CHECK_FALSE(p["values"].contains("voltage_l2"));  // never read
}

TEST_CASE("cabinet I/O roles become a MeterStatus and edges") {
    auto t = load("relay-di-8");
    modbus::DeviceState state(t, 2, 300);
    config::ModbusDevice dev;
    dev.id = "io1";
    dev.areas = {"torget"};
    std::vector<std::size_t> coils, inputs;
    for (std::size_t i = 0; i < t.values.size(); ++i)
        (t.values[i].table == modbus::RegisterType::coil ? coils : inputs).push_back(i);
    modbus::ReadRequest coil_read{modbus::RegisterType::coil, 0, 8, coils};
    modbus::ReadRequest input_read{modbus::RegisterType::discrete_input, 0, 8, inputs};

    state.apply(coil_read, bits({1, 0, 0, 0, 0, 0, 0, 0}), {});
    state.apply(input_read, bits({0, 1, 0, 0, 0, 0, 0, 0}), {});
    auto first = meter_status(dev, state, {});
    CHECK(first.available);
    CHECK(first.door_open == false);
    CHECK(first.contactor_commanded == true);
    CHECK(first.contactor_feedback == true);
    CHECK(contactor_mismatch(first) == false);
    auto e = edges_between(std::nullopt, first);
    CHECK(e.availability == true);
    CHECK(e.door_open == false);
    CHECK(e.contactor_mismatch == false);
    CHECK(state_payload(state, {})["values"]["contactor"]["value"] == true);

    // Door opens and the contactor drops out although commanded on.
    state.apply(input_read, bits({1, 0, 0, 0, 0, 0, 0, 0}), {});
    auto second = meter_status(dev, state, {});
    e = edges_between(first, second);
    CHECK_FALSE(e.availability);
    CHECK(e.door_open == true);
    CHECK(e.contactor_mismatch == true);
    CHECK_FALSE(edges_between(second, second).door_open);

    // Offline: availability edge, the door is not "closed" by silence.
    modbus::ReadResult timeout;
    timeout.outcome = modbus::Outcome::timeout;
    state.apply(input_read, timeout, {});
    state.apply(input_read, timeout, {});
    auto third = meter_status(dev, state, {});
    e = edges_between(second, third);
    CHECK(e.availability == false);
    CHECK_FALSE(e.door_open);
    CHECK_FALSE(e.contactor_mismatch);
}
