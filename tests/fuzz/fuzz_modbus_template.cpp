// Any template YAML yields a template or diagnostics (never both, never neither),
// never a crash, hang or sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "drivers/modbus/template_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto result = lykta::modbus::load_template_string(text, "fuzz", "fuzz.yaml");
    if (result.device_template.has_value() == !result.diagnostics.empty()) __builtin_trap();
    for (const auto& d : result.diagnostics) (void)d.to_string();
    return 0;
}
