#pragma once
// Modbus TCP framing (Modbus Messaging on TCP/IP Implementation Guide V1.0b,
// 3.1.3): a 7-byte MBAP header - transaction id, protocol id 0, length of
// what follows (unit id + PDU), unit id - then the PDU (Modbus Application
// Protocol V1.1b3). Pure functions over bytes: the TCP transport sends what
// these build and hands them what it received; everything a device can send
// back (wrong transaction id, unit, function, short or overlong frames,
// exceptions) becomes an Outcome with a message, never a crash.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "drivers/modbus/request_plan.hpp"
#include "drivers/modbus/transaction.hpp"

namespace lykta::modbus::mbap {

inline constexpr std::size_t header_size = 7;
inline constexpr std::size_t max_adu_size = 260;  // 7 + 253-byte PDU

// Appends one request ADU to `out`.
void append_read(std::vector<std::uint8_t>& out, std::uint16_t transaction, int unit,
                 const ReadRequest& request);
// FC05/FC06 for one item unless `request.multiple`, else FC15/FC16.
void append_write(std::vector<std::uint8_t>& out, std::uint16_t transaction, int unit,
                  const WriteRequest& request);

// The length of the ADU that starts `data`: 0 while fewer than 7 bytes are
// there, -1 (with `error` set) when the header cannot start a Modbus TCP
// frame (protocol id not 0, length field outside 2..254). The frame is
// complete once `data` holds that many bytes.
long frame_size(std::span<const std::uint8_t> data, std::string& error);

std::uint16_t transaction_of(std::span<const std::uint8_t> frame);
// Bytes of a normal (not exception) answer to `request`.
std::size_t answer_size(const ReadRequest& request);

// "illegal data address" for exception code 2 (Modbus Application Protocol V1.1b3, 7).
std::string_view exception_name(int code);

// Checks a complete response ADU against the request it answers and fills
// `out`: ok with the words or bits, exception with its code, or bad_response
// saying what was wrong. `out.error` says what, without naming the
// transaction: the caller prefixes that (only on the rare bad path).
void decode_read(std::span<const std::uint8_t> frame, std::uint16_t transaction, int unit,
                 const ReadRequest& request, ReadResult& out);
// The same for a write's echo (FC05/06: address and value, FC15/16: address
// and count); `out.readback` is left alone.
void decode_write(std::span<const std::uint8_t> frame, std::uint16_t transaction, int unit,
                  const WriteRequest& request, WriteResult& out);

// The function code a request goes out with.
std::uint8_t read_function(RegisterType table);
std::uint8_t write_function(const WriteRequest& request);

}  // namespace lykta::modbus::mbap
