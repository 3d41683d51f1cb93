#pragma once
// What the Modbus driver needs to know about a network and a device, as the
// driver's own value types: the config room translates its model into these
// (gateway/config/modbus_driver_config.hpp), so the driver does not depend on
// the daemon's config. Defaults are the documented ones (docs/config.md).
#include <string>
#include <variant>

namespace lykta::modbus {

// Modbus RTU on a serial port (Modbus over Serial Line V1.02).
struct RtuSettings {
    std::string device;  // /dev/ttyUSB0, /dev/serial/by-id/...
    int baud = 9600;
    char parity = 'N';  // N, E or O
    int data_bits = 8;
    int stop_bits = 1;
    bool rs485 = false;            // switch the port to RS-485 mode after opening it
    double byte_timeout_s = 0.05;  // between bytes of one answer
};

// Modbus TCP (Modbus Messaging on TCP/IP Implementation Guide V1.0b).
struct TcpSettings {
    std::string host;
    int port = 502;
    int pipeline = 1;  // requests outstanding at once on the connection (1: one at a time)
};

struct NetworkConfig {
    std::string id;
    std::variant<RtuSettings, TcpSettings> link;
    double response_timeout_s = 0.5;
    double reopen_after_s = 10;  // only timeouts for this long: close and reopen the port
};

struct DeviceConfig {
    std::string id;
    int unit = 1;
    double poll_s = 10;
    double full_publish_s = 300;  // state is published in full at least this often
    int offline_after = 3;        // consecutive failed polls before `available: false`
    bool write_multiple = false;  // FC15/FC16 for every write, whatever the template says
};

// "tcp 127.0.0.1:1502", "rtu /dev/ttyUSB0 9600 8N1": how logs name the port.
std::string describe(const RtuSettings& port);
std::string describe(const TcpSettings& endpoint);
std::string describe(const NetworkConfig& network);

}  // namespace lykta::modbus
