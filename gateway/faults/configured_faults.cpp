#include "gateway/faults/configured_faults.hpp"

#include <algorithm>
#include <string_view>

namespace lykta::faults {
namespace {

bool has_device(const config::Config& config, std::string_view id) {
    return std::any_of(config.modbus.devices.begin(), config.modbus.devices.end(),
                       [&](const config::ModbusDevice& d) { return d.id == id; });
}

}  // namespace

bool still_configured(const config::Config& config, const Fault& fault) {
    if (!fault.area.empty() && !config.find_area(fault.area)) return false;
    const auto slash = fault.target.find('/');
    if (slash == std::string::npos) return true;
    const std::string_view kind = std::string_view(fault.target).substr(0, slash);
    const std::string id = fault.target.substr(slash + 1);
    if (kind == "luminaire") return config.find_luminaire(id) != nullptr;
    if (kind == "bus") return config.find_bus(id) != nullptr;
    if (kind == "meter" || kind == "cabinet") return has_device(config, id);
    if (kind == "area") return config.find_area(id) != nullptr;
    return true;
}

bool moved_area(const config::Config& config, const Fault& fault) {
    constexpr std::string_view prefix = "luminaire/";
    if (fault.target.compare(0, prefix.size(), prefix) != 0) return false;
    const auto* luminaire = config.find_luminaire(fault.target.substr(prefix.size()));
    return luminaire && luminaire->area != fault.area;
}

}  // namespace lykta::faults
