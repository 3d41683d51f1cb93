#include "gateway/cabinet/meter_state.hpp"
#include "gateway/core/rfc3339.hpp"

#include <cmath>
#include <ctime>

namespace lykta::cabinet {
namespace {

std::optional<bool> as_bool(const modbus::DeviceState& state, modbus::Role role) {
    const auto& t = state.device_template();
    for (std::size_t i = 0; i < t.values.size(); ++i)
        if (t.values[i].role == role && state.value(i)) return *state.value(i) != 0;
    return std::nullopt;
}

std::optional<double> as_number(const modbus::DeviceState& state, modbus::Role role) {
    const auto& t = state.device_template();
    for (std::size_t i = 0; i < t.values.size(); ++i)
        if (t.values[i].role == role) return state.value(i);
    return std::nullopt;
}

// Floats from the wire carry noise digits (230.10000610351562); 7 significant
// digits is what a float32 holds.
double rounded(double v) {
    if (v == 0 || !std::isfinite(v)) return v;
    double magnitude = std::pow(10.0, 6 - static_cast<int>(std::floor(std::log10(std::fabs(v)))));
    return std::round(v * magnitude) / magnitude;
}

}  // namespace

nlohmann::json state_payload(const modbus::DeviceState& state, SystemTime now) {
    nlohmann::json values = nlohmann::json::object();
    const auto& t = state.device_template();
    for (std::size_t i = 0; i < t.values.size(); ++i) {
        const auto& v = state.value(i);
        if (!v) continue;
        const auto& spec = t.values[i];
        nlohmann::json entry;
        if (spec.type == modbus::DataType::bit)
            entry["value"] = *v != 0;
        else
            entry["value"] = rounded(*v);
        if (!spec.unit.empty()) entry["unit"] = spec.unit;
        values[spec.name] = std::move(entry);
    }
    nlohmann::json out{
        {"available", state.available()}, {"ts", rfc3339_utc_ms(now)}, {"values", std::move(values)}};
    if (state.last_good() != SystemTime{}) out["last_good"] = rfc3339_utc_ms(state.last_good());
    const auto& c = state.counters();
    out["counters"] = {{"reads", c.reads},
                       {"failed_reads", c.failed_reads},
                       {"exceptions", c.exceptions},
                       {"bad_values", c.bad_values}};
    return out;
}

MeterValues meter_values(const config::ModbusDevice& device, const modbus::DeviceState& state,
                         SystemTime now) {
    MeterValues out;
    out.meter = device.id;
    out.available = state.available();
    const auto& t = state.device_template();
    for (std::size_t i = 0; i < t.values.size(); ++i)
        if (state.value(i))
            out.values[t.values[i].name] = {*state.value(i), t.values[i].type == modbus::DataType::bit};
    out.ts = now;
    return out;
}

MeterStatus meter_status(const config::ModbusDevice& device, const modbus::DeviceState& state,
                         SystemTime now) {
    MeterStatus s;
    s.meter = device.id;
    s.areas = device.areas;
    s.available = state.available();
    s.door_open = as_bool(state, modbus::Role::door_open);
    s.contactor_commanded = as_bool(state, modbus::Role::contactor_output);
    s.contactor_feedback = as_bool(state, modbus::Role::contactor_feedback);
    s.photocell = as_bool(state, modbus::Role::photocell);
    s.active_power_w = as_number(state, modbus::Role::active_power);
    s.energy_import_kwh = as_number(state, modbus::Role::energy_import);
    s.ts = now;
    return s;
}

}  // namespace lykta::cabinet
