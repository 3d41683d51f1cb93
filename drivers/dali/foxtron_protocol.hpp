#pragma once
// The master's (Lykta's) side of Foxtron's "DALI232 communication protocol"
// (v1.7 English / v1.10 Czech; DALI232/DALI232e on RS-232, DALInet/DALI2net on
// TCP), written from that document; see foxtron_constants.hpp. Every message is
//   SOH (0x01) + ASCII hex of (data part + checksum) + ETB (0x17)          (§1)
// checksum = bitwise NOT of the data bytes' sum modulo 0x100                  (§2)
// Pure codec, no I/O. docs/dali.md has the table of messages and their tests.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/dali/foxtron_constants.hpp"
#include "drivers/dali/frame.hpp"

namespace lykta::dali::foxtron {

std::uint8_t checksum(const std::vector<std::uint8_t>& data);  // §2
std::string encode(const std::vector<std::uint8_t>& data);     // §1: SOH, hex, checksum, ETB

// §4.2 type 11: [0B][priority 0 = automatic][16 bits][address][data][parameter: bit 0 = twice].
std::vector<std::uint8_t> send_request(ForwardFrame frame, bool send_twice);
// §4.7 type 6: [06][item].
std::vector<std::uint8_t> config_request(std::uint8_t item);

// Splits the converter's byte stream into checked data parts (checksum stripped).
// Garbage between messages, bad hex, bad checksums and messages longer than §1
// allows are dropped and counted; the parser resynchronises on the next SOH.
// **Lykta's choice:** lower-case hex is accepted too (§1 allows only upper case).
class Deframer {
public:
    void feed(std::string_view bytes);
    std::optional<std::vector<std::uint8_t>> next();
    std::uint64_t rejected() const { return rejected_; }
    const std::string& last_problem() const { return last_problem_; }

private:
    void reject(std::string why);
    std::string buffer_;
    std::uint64_t rejected_ = 0;
    bool in_garbage_ = false;
    std::string last_problem_;
};

// A DALI message as the converter reports it (§4.3-4.6): 1-64 bits, `value`
// right-aligned (the bytes came most significant first, high bits padded with zeros).
struct BusMessage {
    std::uint8_t bits = 0;
    std::uint64_t value = 0;
    // The 16-bit forward frame this is, if it is one.
    std::optional<ForwardFrame> forward_frame() const;
    friend bool operator==(const BusMessage&, const BusMessage&) = default;
};

// A message from the converter, interpreted for the client.
struct Incoming {
    enum class Kind {
        answer,      // §4.3/4.4 with an 8-bit answer: `value`
        collision,   // §4.3/4.4 with answer length 0 (or not 8): unreadable answer
        no_answer,   // §4.5/4.6 with a readable message
        unreadable,  // §4.5/4.6 with data length 0: the frame itself was unreadable on the bus
        event,       // §4.11: `value` = code
        config,      // §4.8: `value` = item, `data` = its value
        unknown      // a type Lykta does not use (e.g. §4.10 confirmations)
    } kind = Kind::unknown;
    bool ours = false;       // types 13/14 (our type-11 frames) rather than 3/4 (anyone's, §4.2)
    BusMessage message;      // answer / collision / no_answer
    std::uint8_t value = 0;  // answer byte, event code, config item
    std::uint16_t data = 0;  // config value
};
// nullopt when the data part does not have the layout its type requires.
std::optional<Incoming> interpret(const std::vector<std::uint8_t>& data);

}  // namespace lykta::dali::foxtron
