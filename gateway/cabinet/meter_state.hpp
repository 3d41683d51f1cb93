#pragma once
// Turns a device's polled state into what leaves the room: the retained
// P/meter/<id>/state payload and the MeterStatus for observers. Pure.
#include <nlohmann/json.hpp>

#include "drivers/modbus/device_state.hpp"
#include "gateway/cabinet/meter_observer.hpp"
#include "gateway/config/model.hpp"

namespace lykta::cabinet {

// {"available":true,"ts":..,"last_good":..,"values":{"voltage_l1":{"value":230.1,"unit":"V"},
//  "door_open":{"value":false},...},"counters":{"reads":..,"failed_reads":..,"exceptions":..,
//  "bad_values":..}}; values never read successfully are left out, on/off values
// (bits) are JSON booleans. Counters count delivered results (a poll whose
// registers did not change is not delivered) since the daemon started.
nlohmann::json state_payload(const modbus::DeviceState& state, SystemTime now);

MeterValues meter_values(const config::ModbusDevice& device, const modbus::DeviceState& state,
                         SystemTime now);

MeterStatus meter_status(const config::ModbusDevice& device, const modbus::DeviceState& state,
                         SystemTime now);

}  // namespace lykta::cabinet
