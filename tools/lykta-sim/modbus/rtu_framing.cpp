#include "lykta-sim/modbus/rtu_framing.hpp"

namespace lykta::sim {

std::uint16_t crc16(const std::uint8_t* data, std::size_t length) {
    std::uint16_t crc = 0xFFFF;
    for (std::size_t i = 0; i < length; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001) : crc >> 1;
    }
    return crc;
}

FrameStatus next_request(const std::vector<std::uint8_t>& buffer, std::size_t& length) {
    if (buffer.size() < 2) return FrameStatus::incomplete;
    switch (buffer[1]) {
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
        case 6:
            length = 8;  // unit, function, address, count/value, CRC
            break;
        case 15:
        case 16:
            if (buffer.size() < 7) return FrameStatus::incomplete;
            length = 9 + buffer[6];
            break;
        default:
            return FrameStatus::garbage;
    }
    if (buffer.size() < length) return FrameStatus::incomplete;
    std::uint16_t crc = crc16(buffer.data(), length - 2);
    if (buffer[length - 2] != (crc & 0xFF) || buffer[length - 1] != (crc >> 8)) return FrameStatus::garbage;
    return FrameStatus::complete;
}

}  // namespace lykta::sim
