// Any bytes a Modbus TCP device can send: framed as a stream (frame_size,
// as TcpLink does) and each complete frame checked against a request built
// from the first input bytes, as a read and as a write. Results must be an
// outcome, and only an ok read may carry data, of exactly the asked size.
// Input layout: [table][address hi][address lo][count hi][count lo][unit][flags] then the stream.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "drivers/modbus/mbap.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lykta::modbus;
    if (size < 7) return 0;
    ReadRequest read{static_cast<RegisterType>(data[0] % 4),
                     data[1] << 8 | data[2],
                     1 + ((data[3] << 8 | data[4]) % 2000),
                     {}};
    if (!is_bit_table(read.table) && read.count > max_read_registers) read.count = max_read_registers;
    const int unit = data[5];
    WriteRequest write;
    write.table = data[6] & 1 ? RegisterType::coil : RegisterType::holding;
    write.address = read.address;
    write.multiple = data[6] & 2;
    write.bit = data[6] & 4;
    write.words.assign(data[6] & 8 ? 2 : 1, 0x1234);
    std::span<const std::uint8_t> stream(data + 7, size - 7);
    while (!stream.empty()) {
        std::string error;
        const long frame = mbap::frame_size(stream, error);
        if (frame < 0) {
            if (error.empty()) __builtin_trap();  // a refused header always says why
            break;
        }
        if (frame == 0 || stream.size() < static_cast<std::size_t>(frame)) break;
        const auto adu = stream.first(static_cast<std::size_t>(frame));
        const auto transaction = mbap::transaction_of(adu);
        ReadResult r;
        mbap::decode_read(adu, transaction, unit, read, r);
        const std::size_t got = is_bit_table(read.table) ? r.bits.size() : r.words.size();
        if (r.outcome == Outcome::ok && got != static_cast<std::size_t>(read.count)) __builtin_trap();
        if (r.outcome != Outcome::ok && (got != 0 || r.error.empty())) __builtin_trap();
        WriteResult w;
        mbap::decode_write(adu, transaction, unit, write, w);
        if (w.outcome != Outcome::ok && w.error.empty()) __builtin_trap();
        stream = stream.subspan(static_cast<std::size_t>(frame));
    }
    return 0;
}
