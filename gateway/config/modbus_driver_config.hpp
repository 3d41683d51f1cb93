#pragma once
// The config's Modbus networks and devices as the Modbus driver's own value
// types (drivers/modbus/network_config.hpp): the driver does not read the
// daemon's config model.
#include "drivers/modbus/network_config.hpp"
#include "gateway/config/model.hpp"

namespace lykta::config {

modbus::NetworkConfig driver_config(const ModbusNetwork& network);
modbus::DeviceConfig driver_config(const ModbusDevice& device);

}  // namespace lykta::config
