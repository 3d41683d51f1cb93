// Any HID input report (any length) parses to a reply or nullopt, never a crash.
#include <cstddef>
#include <cstdint>
#include <span>

#include "drivers/dali/hasseb_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto parsed = lykta::dali::hasseb::parse_report(std::span<const std::uint8_t>(data, size));
    if (parsed && parsed->reply) (void)parsed->reply->to_string();
    return 0;
}
