#pragma once
// hasseb USB DALI Master (HID, VID 04cc PID 0802) reports, from python-dali
// dali/driver/hasseb.py and driver/hid.py (class hasseb). 10-byte output report:
//   [0xAA][0x07 DALI frame][seq][16 bits][expect answer 0/1][settling 0]
//   [send-twice gap ms, 0 = once][address byte][data byte][0]
// Input report: [..][0x07][seq][status][answer length][answer], status
// 0 no data, 1 no answer, 2 OK (+ byte), 3 invalid answer (framing error),
// 4 answer too early, 5/6 sniffer byte / sniffer error (older firmware).
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "drivers/dali/frame.hpp"
#include "drivers/dali/transport.hpp"

namespace lykta::dali::hasseb {

inline constexpr std::uint16_t usb_vendor = 0x04CC, usb_product = 0x0802;
inline constexpr std::size_t report_size = 10;
inline constexpr std::uint8_t magic = 0xAA, dali_frame = 0x07, read_firmware = 0x02;
inline constexpr std::uint8_t send_twice_gap_ms = 10;  // python-dali's choice, well inside 100 ms

std::array<std::uint8_t, report_size> frame_report(std::uint8_t sequence, ForwardFrame frame,
                                                   bool expect_answer, bool send_twice);

struct ReportReply {
    std::uint8_t sequence = 0;
    Reply reply;
};
// nullopt: not an answer to a frame of ours (no data, sniffer bytes, other report types, short reports).
std::optional<ReportReply> parse_report(std::span<const std::uint8_t> report);

}  // namespace lykta::dali::hasseb
