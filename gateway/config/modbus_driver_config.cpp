#include "gateway/config/modbus_driver_config.hpp"

namespace lykta::config {

modbus::NetworkConfig driver_config(const ModbusNetwork& network) {
    modbus::NetworkConfig out;
    out.id = network.id;
    if (network.type == "tcp")
        out.link = modbus::TcpSettings{network.host, network.port, network.pipeline};
    else
        out.link =
            modbus::RtuSettings{network.device,    network.baud,  network.parity,        network.data_bits,
                                network.stop_bits, network.rs485, network.byte_timeout_s};
    out.response_timeout_s = network.response_timeout_s;
    out.reopen_after_s = network.reopen_after_s;
    return out;
}

modbus::DeviceConfig driver_config(const ModbusDevice& device) {
    return {device.id,
            device.unit,
            device.poll_s,
            device.full_publish_s,
            device.offline_after,
            device.write_multiple};
}

}  // namespace lykta::config
