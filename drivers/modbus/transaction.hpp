#pragma once
// What one Modbus transaction asked for and what came back, as plain values
// passed between a network's worker thread and the event loop.
#include <cstdint>
#include <string>
#include <vector>

#include "drivers/modbus/device_template.hpp"

namespace lykta::modbus {

// Kept apart because they mean different things for availability: an
// exception means the device is there but refused the request; a timeout
// that it is missing; a bad response (CRC, framing) a noisy line; link_down
// that the port or TCP connection itself is gone.
enum class Outcome { ok, timeout, exception, bad_response, link_down };
std::string_view to_string(Outcome outcome);

struct ReadResult {
    Outcome outcome = Outcome::ok;
    int exception_code = 0;            // Modbus exception code when outcome == exception
    std::string error;                 // human readable, with unit and address
    std::vector<std::uint16_t> words;  // register tables
    std::vector<std::uint8_t> bits;    // bit tables, one byte (0/1) per bit
};

struct WriteRequest {
    RegisterType table = RegisterType::holding;
    int address = 0;
    std::vector<std::uint16_t> words;  // holding registers
    bool bit = false;                  // coils
    bool multiple = false;             // FC15/FC16 even for one item (template/device `write_multiple`)
};

// The write went out and `readback` holds what the device reports afterwards
// (read with the same table and width); comparing is the caller's business.
struct WriteResult {
    Outcome outcome = Outcome::ok;
    int exception_code = 0;
    std::string error;
    ReadResult readback;
};

}  // namespace lykta::modbus
