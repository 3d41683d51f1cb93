#include "lykta-sim/modbus/sim_devices.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>

namespace lykta::sim {
namespace {

// Lighting load behind the contactor, and the cabinet's own standby draw.
constexpr double lit_load_w = 2400;
constexpr double standby_w = 15;
constexpr int meter_registers = 0x0160;  // covers total kWh at 0x0156

// IEEE 754 float32, high word first, as Eastron meters store it. Written by
// hand: modbus_set_float_abcd in libmodbus 3.1.6 swaps the bytes of each word.
void put_float(modbus_mapping_t* m, int address, double value) {
    auto bits = std::bit_cast<std::uint32_t>(static_cast<float>(value));
    m->tab_input_registers[address] = static_cast<std::uint16_t>(bits >> 16);
    m->tab_input_registers[address + 1] = static_cast<std::uint16_t>(bits & 0xFFFF);
}

double get_float(const modbus_mapping_t* m, int address) {
    std::uint32_t bits =
        (std::uint32_t{m->tab_input_registers[address]} << 16) | m->tab_input_registers[address + 1];
    return std::bit_cast<float>(bits);
}

}  // namespace

SimCabinet::SimCabinet(int meter_unit, int io_unit, int lux_unit)
    : meter_unit_(meter_unit), io_unit_(io_unit), lux_unit_(lux_unit) {
    meter_ = modbus_mapping_new(0, 0, 0, meter_registers);
    io_ = modbus_mapping_new(8, 8, 0, 0);
    lux_ = modbus_mapping_new(0, 0, 4, 0);
    write_meter();
    set_lux(20000);  // an overcast day
}

void SimCabinet::set_lux(std::uint32_t lux) {
    lux_->tab_registers[2] = static_cast<std::uint16_t>(lux >> 16);
    lux_->tab_registers[3] = static_cast<std::uint16_t>(lux & 0xFFFF);
}

SimCabinet::~SimCabinet() {
    modbus_mapping_free(meter_);
    modbus_mapping_free(io_);
    modbus_mapping_free(lux_);
}

modbus_mapping_t* SimCabinet::mapping(int unit) {
    if (unit == meter_unit_) return meter_;
    if (unit == io_unit_) return io_;
    if (unit == lux_unit_) return lux_;
    return nullptr;
}

void SimCabinet::update(std::chrono::steady_clock::time_point now) {
    if (!started_) {
        start_ = last_ = now;
        started_ = true;
    }
    const bool contactor = io_->tab_bits[0] != 0;
    io_->tab_input_bits[0] = door_open ? 1 : 0;
    io_->tab_input_bits[1] =
        feedback_forced >= 0 ? static_cast<uint8_t>(feedback_forced) : (contactor ? 1 : 0);
    io_->tab_input_bits[2] = photocell ? 1 : 0;
    if (hold) {
        last_ = now;
        return;
    }
    const double t = std::chrono::duration<double>(now - start_).count();
    const double dt = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    const double load = contactor ? lit_load_w : standby_w;
    for (int p = 0; p < 3; ++p) {
        voltage_[p] = 230 + 3 * std::sin(t / 7.0 + p * 2.1);
        phase_power_w_[p] = load / 3 * (1 + 0.02 * std::sin(t / 3.0 + p));
    }
    frequency_ = 50 + 0.04 * std::sin(t / 11.0);
    power_factor_ = contactor ? 0.95 + 0.02 * std::sin(t / 5.0) : 0.6;
    import_kwh_ += (phase_power_w_[0] + phase_power_w_[1] + phase_power_w_[2]) * dt / 3.6e6;
    write_meter();
}

void SimCabinet::update_inputs() {
    const bool contactor = io_->tab_bits[0] != 0;
    io_->tab_input_bits[0] = door_open ? 1 : 0;
    io_->tab_input_bits[1] =
        feedback_forced >= 0 ? static_cast<uint8_t>(feedback_forced) : (contactor ? 1 : 0);
    io_->tab_input_bits[2] = photocell ? 1 : 0;
}

void SimCabinet::write_meter() {
    double total = 0;
    double pf_total = 0;
    for (int p = 0; p < 3; ++p) {
        put_float(meter_, 0x00 + 2 * p, voltage_[p]);
        put_float(meter_, 0x06 + 2 * p, phase_power_w_[p] / (voltage_[p] * power_factor_));
        put_float(meter_, 0x0C + 2 * p, phase_power_w_[p]);
        put_float(meter_, 0x1E + 2 * p, power_factor_);
        total += phase_power_w_[p];
        pf_total += power_factor_ / 3;
    }
    put_float(meter_, 0x34, total);
    put_float(meter_, 0x3E, pf_total);
    put_float(meter_, 0x46, frequency_);
    put_float(meter_, 0x48, import_kwh_);
    put_float(meter_, 0x4A, 0.0);
    put_float(meter_, 0x156, import_kwh_);
}

std::string SimCabinet::describe(int unit) const {
    std::ostringstream out;
    auto f = [&](const char* name, int address) {
        char buf[64];
        std::snprintf(buf, sizeof buf, " %s=%.6g", name, get_float(meter_, address));
        out << buf;
    };
    if (unit == meter_unit_) {
        out << "unit " << unit << " sdm630";
        const char* phases[] = {"l1", "l2", "l3"};
        for (int p = 0; p < 3; ++p) {
            f(("voltage_" + std::string(phases[p])).c_str(), 2 * p);
            f(("current_" + std::string(phases[p])).c_str(), 0x06 + 2 * p);
            f(("power_" + std::string(phases[p])).c_str(), 0x0C + 2 * p);
        }
        f("total_power", 0x34);
        f("frequency", 0x46);
        f("import_energy", 0x48);
    } else if (unit == io_unit_) {
        out << "unit " << unit << " relay-di-8 contactor=" << int(io_->tab_bits[0])
            << " door_open=" << int(io_->tab_input_bits[0])
            << " contactor_feedback=" << int(io_->tab_input_bits[1])
            << " photocell=" << int(io_->tab_input_bits[2]);
    } else if (unit == lux_unit_) {
        out << "unit " << unit
            << " lux-sensor lux=" << ((std::uint32_t{lux_->tab_registers[2]} << 16) | lux_->tab_registers[3]);
    } else {
        out << "unit " << unit << " none";
    }
    return out.str();
}

}  // namespace lykta::sim
