#pragma once
// Cutting Modbus RTU requests out of a byte stream (Modbus over Serial Line
// V1.02, 2.5): the length follows from the function code, and the CRC-16
// (polynomial 0xA001, low byte first) decides whether the frame is whole.
// A pty carries no inter-character timing, so t3.5 cannot be used here.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace lykta::sim {

std::uint16_t crc16(const std::uint8_t* data, std::size_t length);

enum class FrameStatus { incomplete, complete, garbage };
// Looks at the start of `buffer`; on `complete`, `length` is the frame's size
// including its CRC. `garbage`: the first byte cannot start a frame (drop it).
FrameStatus next_request(const std::vector<std::uint8_t>& buffer, std::size_t& length);

}  // namespace lykta::sim
