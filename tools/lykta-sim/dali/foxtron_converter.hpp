#pragma once
// The converter's side of Foxtron's "DALI232 communication protocol" (document
// v1.7 English / v1.10 Czech): what a DALI232/DALInet reads from its master and
// what it sends back. The simulator (FoxtronServer) speaks through this. It is
// written from the document on its own and shares only the numbers
// (foxtron_constants.hpp) with the client's codec (foxtron_protocol.*): a
// misreading in one shows up as a failure against the other.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "drivers/dali/foxtron_constants.hpp"

namespace lykta::dali::foxtron::converter {

// §1/§2: the data part as a line message, SOH + upper-case hex + checksum + ETB.
std::string to_line(const std::vector<std::uint8_t>& data);

// Collects the master's characters into messages (§1). Characters outside
// SOH...ETB are skipped (the converter waits for SOH); a message that is cut
// short, too long, not upper-case hex or fails its checksum (§2) is reported as
// a checksum error, to which the converter answers with event 5 (§4.11).
class LineReader {
public:
    struct Message {
        std::vector<std::uint8_t> data;  // the data part, checksum checked and removed
        bool corrupt = false;
    };
    std::vector<Message> feed(std::string_view chars);

private:
    Message finish() const;
    bool inside_ = false;
    std::string chars_;
};

// A DALI message of 1-64 bits as the data bytes carry it (§4.1: most
// significant byte first, high bits of the first byte zero).
struct DaliBits {
    std::uint8_t bits = 0;
    std::uint64_t value = 0;
    friend bool operator==(const DaliBits&, const DaliBits&) = default;
};

// §4.1 (type 1), §4.2 (type 11), §4.13 (type 12).
struct Send {
    std::uint8_t type = type::send_tracked;
    std::uint8_t priority = priority_auto;
    DaliBits message;
    bool twice = false;     // §4.2 parameter "2x" (type 11 only)
    bool sequence = false;  // §4.2 parameter "S"
};
struct ConfigQuery {  // §4.7
    std::uint8_t item = 0;
};
struct ConfigChange {  // §4.9
    std::uint8_t item = 0;
    std::uint16_t value = 0;
};
struct EndOfSequence {};  // §4.12
using FromMaster = std::variant<Send, ConfigQuery, ConfigChange, EndOfSequence>;

// nullopt: not a message the converter accepts (it answers with event 6, §4.11).
std::optional<FromMaster> parse(const std::vector<std::uint8_t>& data);

// §4.3 (type 3) / §4.4 (type 13 when `tracked`): a message on the bus that got an
// answer; nullopt answer = unreadable (several gear answered at once).
std::vector<std::uint8_t> answered(bool tracked, DaliBits message, std::optional<std::uint8_t> answer);
// §4.5 (type 4) / §4.6 (type 14): a message nobody answered; bits 0 = unreadable.
std::vector<std::uint8_t> unanswered(bool tracked, DaliBits message);
std::vector<std::uint8_t> special(std::uint8_t code);                                      // §4.11
std::vector<std::uint8_t> config_value(std::uint8_t item, std::uint16_t value);            // §4.8
std::vector<std::uint8_t> change_confirmation(const ConfigChange& c, std::uint8_t index);  // §4.10

}  // namespace lykta::dali::foxtron::converter
