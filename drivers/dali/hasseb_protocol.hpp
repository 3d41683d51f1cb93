#pragma once
// hasseb USB DALI Master (USB HID, VID 04cc PID 0802), firmware 2.x: the report
// layouts of the maker's protocol description, "hasseb USB DALI Master firmware"
// README, hasseb/python-dali dali/driver/hasseb_firmware/README.md (commit 1ee5f4e,
// firmware 2.3 of 2020-01-18 in the same folder), cross-checked with the maker's
// driver hasseb/python-dali dali/driver/hasseb.py (same commit: construct() l.119-141,
// extract() l.143-173, readFirmwareVersion() l.205-221). README sections are named
// below. Every report is 10 bytes, both ways:
//   host -> device  [0xAA][command][sequence 1..255][command dependent x7]
//     0x02 read firmware version: the rest is ignored
//     0x07 send frame: [bits (16)][expect answer 0/1][reserved 0][send-twice gap ms, 0 = once]
//                      [data bytes 7-9, MSB first]
//   device -> host  [0xAA][report type][sequence][report dependent x7]
//     0x02 firmware version: [major][minor]
//     0x07 transmission report: [status][answer length][answer bytes 5-7]
// The firmware binary itself (new_firmware.bin in that folder, sha256 dbe5c7ca43f045c9…,
// disassembled as Thumb-2 with llvm-objdump) answers command 0x02 at 0x1714-0x174e with
// AA 02 SEQ 02 03, i.e. version 2.3, and wraps its ring of queued commands after 7
// entries (0x154e), fewer than the README's 10.
// The 1.x firmware spoke another, 2-byte protocol (python-dali dali/driver/hid.py,
// class hasseb): lyktad needs 2.3 or newer, as dali2mqtt does (consts.py
// MIN_HASSEB_FIRMWARE_VERSION = 2.3).
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "drivers/dali/frame.hpp"
#include "drivers/dali/transport.hpp"

namespace lykta::dali::hasseb {

inline constexpr std::uint16_t usb_vendor = 0x04CC, usb_product = 0x0802;
inline constexpr std::size_t report_size = 10;
inline constexpr std::uint8_t preamble = 0xAA;
// Command codes and report types (README "List of command codes", "List of report types").
inline constexpr std::uint8_t no_operation = 0x00, read_firmware = 0x02, configure_device = 0x05,
                              dali_frame = 0x07;
// Transmission report statuses (README "Transmission report", byte 3; hasseb.py
// HASSEB_DRIVER_*). The README's list starts at 1. 5 and 6 are bus-sniffing reports
// (sequence 0), sent only in the sniffing mode that command 0x05 switches on.
// hasseb.py's HASSEB_DRIVER_NO_DATA_AVAILABLE = 0 is compared with byte 1, the report
// *type* ("no operation" 0x00), not with the status; extract() logs a 0x07 report with
// status 0 as "Invalid Frame". So status 0 is undocumented: Lykta takes it as a failed
// transmission (an interface error), not as "nothing to report".
namespace status {
inline constexpr std::uint8_t no_answer = 1, answer = 2, invalid_answer = 3, answer_too_early = 4,
                              sniffer_byte = 5, sniffer_error = 6;
}
// Byte 6 of "send frame": the gap between the two frames of a send-twice command in ms
// (python-dali hasseb.py construct() sends 10; IEC 62386-101 wants both within 100 ms).
inline constexpr std::uint8_t send_twice_gap_ms = 10;
inline constexpr std::uint8_t minimum_major = 2, minimum_minor = 3;

using Report = std::array<std::uint8_t, report_size>;

Report frame_report(std::uint8_t sequence, ForwardFrame frame, bool expect_answer, bool send_twice);
Report firmware_request(std::uint8_t sequence);

struct Firmware {
    std::uint8_t major = 0, minor = 0;
    bool supported() const {
        return major > minimum_major || (major == minimum_major && minor >= minimum_minor);
    }
};

struct Incoming {
    enum class Kind : std::uint8_t { transmission, firmware, other };
    Kind kind = Kind::other;
    std::uint8_t sequence = 0;
    std::uint8_t status = 0;     // transmission: byte 3
    std::optional<Reply> reply;  // transmission: nullopt for sniffer reports; status 0: failed (interface)
    bool undocumented_status() const { return kind == Kind::transmission && status == 0; }
    Firmware firmware;
};
// One read of the device: exactly one report. nullopt when it is not one (wrong size,
// no 0xAA preamble) or a transmission report carries an unknown status.
std::optional<Incoming> parse_report(std::span<const std::uint8_t> report);

}  // namespace lykta::dali::hasseb
