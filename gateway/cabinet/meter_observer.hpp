#pragma once
// What the cabinet room tells the rest of the daemon (faults, statistics):
// per-device status after each poll cycle in the terms the fault detectors
// judge, plus edges (availability, door, contactor mismatch) and the energy
// counters with the areas each meter measures. Called on the loop thread.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/clock.hpp"

namespace lykta::cabinet {

struct MeterStatus {
    std::string meter;               // device id from the config
    std::vector<std::string> areas;  // areas whose energy it measures (config `areas`)
    bool available = false;
    std::optional<bool> door_open;            // template role door_open
    std::optional<bool> contactor_commanded;  // role contactor_output, as read back from the device
    std::optional<bool> contactor_feedback;   // role contactor_feedback (auxiliary contact)
    std::optional<bool> photocell;            // role photocell
    std::optional<double> active_power_w;     // role active_power
    std::optional<double> energy_import_kwh;  // role energy_import: the meter's lifetime counter
    SystemTime ts{};
    // Areas fed through a contactor of this device (modbus.contactors) that is
    // commanded and read back off: their gear has no mains and cannot answer.
    // Last and with {}, so aggregate initialisations elsewhere stay valid and
    // warning-free (-Wmissing-field-initializers skips defaulted members).
    std::vector<std::string> unpowered_areas{};
};

// Every value a device read so far by template value name (last good value),
// for consumers that name a value in the config (photocells).
struct MeterValues {
    std::string meter;
    bool available = false;
    struct Named {
        double value = 0;
        bool bit = false;  // an on/off input or coil: value is 0 or 1
    };
    std::map<std::string, Named> values;
    SystemTime ts{};
};

// Commanded on and no feedback, or the other way round. Unknown when either is.
std::optional<bool> contactor_mismatch(const MeterStatus& status);

class MeterObserver {
public:
    virtual ~MeterObserver() = default;
    // After every poll cycle whose result was published (changes and the periodic full publish).
    virtual void on_status(const MeterStatus& status) { (void)status; }
    // With every on_status: the same poll's values by name.
    virtual void on_values(const MeterValues& values) { (void)values; }
    // Edges, each reported once per change (the first known state counts as a change).
    virtual void on_availability(const std::string& meter, bool available, SystemTime ts) {
        (void)meter, (void)available, (void)ts;
    }
    virtual void on_door(const std::string& meter, bool open, SystemTime ts) {
        (void)meter, (void)open, (void)ts;
    }
    virtual void on_contactor_mismatch(const std::string& meter, bool mismatch, SystemTime ts) {
        (void)meter, (void)mismatch, (void)ts;
    }
    // The lifetime import counter (kWh) whenever it is published; deltas per
    // area are the statistics room's business (split over `areas` as it sees fit).
    virtual void on_energy(const std::string& meter, const std::vector<std::string>& areas, double kwh,
                           SystemTime ts) {
        (void)meter, (void)areas, (void)kwh, (void)ts;
    }
};

// Which edges lie between two consecutive statuses of one meter.
struct StatusEdges {
    std::optional<bool> availability;
    std::optional<bool> door_open;
    std::optional<bool> contactor_mismatch;
};
StatusEdges edges_between(const std::optional<MeterStatus>& before, const MeterStatus& now);

}  // namespace lykta::cabinet
