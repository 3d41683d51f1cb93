#pragma once
// Numbers of Foxtron's "DALI232 communication protocol" (DALI232, DALI232e,
// DALInet, DALI2net; document v1.7 English, firmware 3.3+, and v1.10 Czech,
// firmware 4.1+, which agree on everything here). Only constants: the client
// (foxtron_protocol.*) and the simulated converter (foxtron_converter.*) each
// encode and decode them with their own code, so neither can hide the other's
// misreading. Section numbers below are the document's.
#include <cstddef>
#include <cstdint>

namespace lykta::dali::foxtron {

// §1 "Structure of messages": SOH, 4-26 ASCII hex characters of data, 2 of checksum, ETB.
inline constexpr char soh = 0x01;
inline constexpr char etb = 0x17;
inline constexpr std::size_t min_data_chars = 4;
inline constexpr std::size_t max_data_chars = 26;
inline constexpr std::size_t checksum_chars = 2;

// §4 "Types of messages" (the table), §4.1-4.15.
namespace type {
inline constexpr std::uint8_t send = 1;                        // §4.1 master -> converter
inline constexpr std::uint8_t received_with_answer = 3;        // §4.3 converter -> master
inline constexpr std::uint8_t received_without_answer = 4;     // §4.5
inline constexpr std::uint8_t event = 5;                       // §4.11
inline constexpr std::uint8_t config_query = 6;                // §4.7
inline constexpr std::uint8_t config_value = 7;                // §4.8
inline constexpr std::uint8_t config_change = 8;               // §4.9
inline constexpr std::uint8_t config_change_confirmation = 9;  // §4.10
inline constexpr std::uint8_t end_of_sequence = 10;            // §4.12
inline constexpr std::uint8_t send_tracked = 11;               // §4.2 "with sender differentiation"
inline constexpr std::uint8_t send_continuous = 12;            // §4.13 service message
inline constexpr std::uint8_t tracked_with_answer = 13;        // §4.4 our type-11 frame, answered
inline constexpr std::uint8_t tracked_without_answer = 14;     // §4.6 our type-11 frame, no answer
}  // namespace type

// §4.1/4.2: priority 0 lets the converter choose, 1 (highest) - 5 (lowest).
inline constexpr std::uint8_t priority_auto = 0;
inline constexpr std::uint8_t priority_lowest = 5;
// §4.1-4.6: a DALI message is 1-64 bits, carried in ceil(bits/8) bytes, most
// significant byte first, unused high bits zero.
inline constexpr unsigned max_message_bits = 64;
inline constexpr unsigned forward_frame_bits = 16;  // §4.2 "standard message lengths"
// §4.3/4.4 "Data length of response": a valid answer has 8 bits; 0 = unreadable (collision).
inline constexpr std::uint8_t answer_bits = 8;
inline constexpr std::uint8_t unreadable = 0;

// §4.2 "Parameter" of a type-11 message.
namespace parameter {
inline constexpr std::uint8_t send_twice = 0x01;  // "2x": the frame goes out twice in a row
inline constexpr std::uint8_t sequence = 0x02;    // "S": do not insert other sources' frames after it
}  // namespace parameter

// §4.11 "Receiving special message from converter".
namespace event {
inline constexpr std::uint8_t power_ok = 0, power_loss = 1, mains_on_bus = 2, supply_defective = 3,
                              buffer_full = 4, checksum_error = 5, invalid_command = 6;
}

// §6 "Data area of the converter" (items of types 6-9; all values 16 bit).
namespace item {
inline constexpr std::uint8_t serial_number = 1;
inline constexpr std::uint8_t firmware = 2;   // upper byte . lower byte, 258 = "1.2"
inline constexpr std::uint8_t bus_power = 3;  // 0 ok, 1 lost/short, 2 mains, 3 defective
inline constexpr std::uint8_t buffered = 4;   // messages waiting for the bus; writing 0 clears them
inline constexpr std::uint8_t hw_version = 5;
}  // namespace item

// §4.10 "Index" of a configuration change confirmation.
namespace change {
inline constexpr std::uint8_t done = 0, read_only = 1, out_of_range = 2;
}

// §4: "DALInet contains buffer for 16 messages".
inline constexpr std::size_t buffer_messages = 16;

// §3.1 DALI232/DALI232e serial line: 19200 bit/s, 8 data bits, even parity,
// 1 stop bit, no hardware flow control, DTR on (it powers the converter).
inline constexpr unsigned serial_baud = 19200;

// §3.2 DALInet/DALI2net: TCP, port 23 for bus 1, 24 for bus 2 (DALI2net).
inline constexpr int tcp_port_bus1 = 23, tcp_port_bus2 = 24;

}  // namespace lykta::dali::foxtron
