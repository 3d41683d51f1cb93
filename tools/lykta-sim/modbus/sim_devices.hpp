#pragma once
// The simulated cabinet: an Eastron SDM630 at one unit, an 8-channel
// relay/DI module at another and a lux sensor at a third, as libmodbus register mappings, plus the faults
// injected per unit. Register layouts follow config/templates/sdm630.yaml and
// relay-di-8.yaml and lux-sensor.yaml, so the gateway's shipped templates read them unchanged.
#include <modbus/modbus.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace lykta::sim {

struct UnitFaults {
    bool offline = false;               // no response at all
    int exception = 0;                  // answer every request with this exception code (0: none)
    int delay_ms = 0;                   // answer this late
    bool ignore_writes = false;         // acknowledge writes without applying them (a stuck relay)
    bool multiple_writes_only = false;  // FC05/FC06 answered "illegal function": FC15/FC16 only
};

class SimCabinet {
public:
    SimCabinet(int meter_unit, int io_unit, int lux_unit = 3);
    ~SimCabinet();
    SimCabinet(const SimCabinet&) = delete;
    SimCabinet& operator=(const SimCabinet&) = delete;

    // Moves the meter's values on to `now` (unless held; like a real meter,
    // its registers change at a tick, not on every read) and lets the inputs
    // (contactor feedback following the contactor coil) catch up.
    void update(std::chrono::steady_clock::time_point now);
    // Only the inputs: after a write, before an answer.
    void update_inputs();
    // The mapping that serves `unit`, or nullptr for a unit nobody answers.
    modbus_mapping_t* mapping(int unit);
    UnitFaults& faults(int unit) { return faults_[unit]; }

    int meter_unit() const { return meter_unit_; }
    int io_unit() const { return io_unit_; }
    // The lux sensor's reading (holding registers 0x0002-0x0003, u32, high word first).
    void set_lux(std::uint32_t lux);
    bool hold = false;  // freeze the meter's values (for exact comparisons)
    bool door_open = false;
    bool photocell = false;
    int feedback_forced = -1;  // -1: follows the contactor; 0/1: stuck (a fault)

    // "voltage_l1=230.12 ..." for the control interface.
    std::string describe(int unit) const;

private:
    void write_meter();

    int meter_unit_;
    int io_unit_;
    modbus_mapping_t* meter_ = nullptr;
    modbus_mapping_t* io_ = nullptr;
    int lux_unit_;
    modbus_mapping_t* lux_ = nullptr;
    std::map<int, UnitFaults> faults_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_;
    bool started_ = false;
    double phase_power_w_[3] = {0, 0, 0};
    double voltage_[3] = {230, 230, 230};
    double frequency_ = 50;
    double power_factor_ = 0.95;
    double import_kwh_ = 1234.5;
};

}  // namespace lykta::sim
