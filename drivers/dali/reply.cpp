#include <cstdio>

#include "drivers/dali/transport.hpp"

namespace lykta::dali {

std::string Reply::to_string() const {
    switch (outcome) {
        case Outcome::answer: {
            char buf[8];
            std::snprintf(buf, sizeof buf, "0x%02X", value);
            return buf;
        }
        case Outcome::no_answer:
            return "no answer";
        case Outcome::framing_error:
            return "framing error";
        case Outcome::bus_error:
            switch (error) {
                case BusError::power_loss:
                    return "bus error (power loss)";
                case BusError::interface:
                    return "bus error (interface)";
                case BusError::timeout:
                    return "bus error (timeout)";
                case BusError::none:
                    break;
            }
            return "bus error";
    }
    return "?";
}

}  // namespace lykta::dali
