// Any byte string given to the config loader yields a Config or diagnostics,
// never a crash, hang or sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gateway/config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto result = lykta::config::load_string(text, "fuzz.yaml");
    if (result.config && !result.diagnostics.empty()) __builtin_trap();  // both at once is a contract breach
    for (const auto& d : result.diagnostics) (void)d.to_string();
    return 0;
}
