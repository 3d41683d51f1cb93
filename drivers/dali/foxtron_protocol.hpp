#pragma once
// Foxtron DALInet / DALI2net (TCP) and DALI232 (RS-232) host protocol, as
// summarised from the vendor's "DALI232 communication protocol" v1.7/v1.10 in
// docek/ha-foxtron-dali docs/protocol_spec.md. Every message is
//   SOH (0x01) + ASCII hex of (payload bytes + checksum) + ETB (0x17),
// checksum = bitwise NOT of the 8-bit sum of the payload bytes. Pure codec, no I/O.
// The exact bytes Lykta uses are written down in docs/dali.md.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/dali/frame.hpp"

namespace lykta::dali::foxtron {

inline constexpr char soh = 0x01;
inline constexpr char etb = 0x17;

namespace type {
inline constexpr std::uint8_t spontaneous_with_answer = 0x03;  // another master's frame + answer
inline constexpr std::uint8_t spontaneous = 0x04;  // another master's frame; Len 0 = framing error
inline constexpr std::uint8_t event = 0x05;        // gateway / bus event, see event::
inline constexpr std::uint8_t config_query = 0x06;
inline constexpr std::uint8_t config_response = 0x07;
inline constexpr std::uint8_t send_tracked = 0x0B;  // "send with differentiation": replies 0x0D / 0x0E
inline constexpr std::uint8_t answer = 0x0D;        // our frame got a backward frame; AnsLen 0 = collision
inline constexpr std::uint8_t done_no_answer = 0x0E;
}  // namespace type

namespace event {
inline constexpr std::uint8_t power_ok = 0x00, power_loss = 0x01, mains_on_bus = 0x02,
                              supply_defective = 0x03, buffer_full = 0x04, checksum_error = 0x05,
                              invalid_command = 0x06;
}

inline constexpr std::uint8_t config_firmware = 2;   // config item: firmware version (our keep-alive)
inline constexpr std::uint8_t config_bus_power = 3;  // 0 ok, 1 loss/short, 2 mains, 3 defective

std::uint8_t checksum(const std::vector<std::uint8_t>& payload);
std::string encode(const std::vector<std::uint8_t>& payload);

// 0x0B: [0x0B][prio 0x00][len 0x10 = 16 bits][addr][data][param: bit0 send twice]
std::vector<std::uint8_t> send_request(ForwardFrame frame, bool send_twice);
std::vector<std::uint8_t> config_request(std::uint8_t item);

// Splits a byte stream into checked payloads (checksum stripped). Garbage
// between messages, bad hex, bad checksums and overlong messages are dropped
// and counted; the parser resynchronises on the next SOH.
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

// A message from the gateway, interpreted for the client.
struct Incoming {
    enum class Kind {
        answer,
        collision,
        no_answer,
        event,
        config,
        spontaneous,
        unknown
    } kind = Kind::unknown;
    ForwardFrame frame;      // answer / collision / no_answer / spontaneous
    std::uint8_t value = 0;  // answer byte, event code, config item
    std::uint16_t data = 0;  // config value
};
std::optional<Incoming> interpret(const std::vector<std::uint8_t>& payload);

// Server side (the simulator): a 0x0B request.
struct SendRequest {
    ForwardFrame frame;
    bool send_twice = false;
};
std::optional<SendRequest> parse_send_request(const std::vector<std::uint8_t>& payload);
std::vector<std::uint8_t> answer_message(ForwardFrame frame,
                                         std::optional<std::uint8_t> value);  // nullopt = collision
std::vector<std::uint8_t> no_answer_message(ForwardFrame frame);
std::vector<std::uint8_t> event_message(std::uint8_t code);
std::vector<std::uint8_t> config_message(std::uint8_t item, std::uint16_t value);

}  // namespace lykta::dali::foxtron
