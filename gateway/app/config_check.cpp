#include "gateway/app/config_check.hpp"

#include "drivers/modbus/template_loader.hpp"

namespace lykta {

config::LoadResult check_config_file(const std::string& path) {
    auto result = config::load_file(path);
    if (!result.config) return result;
    // The templates the Modbus devices name are part of the configuration: an
    // unknown or broken template stops the start like a broken config file does.
    auto templates = modbus::load_templates(result.config->modbus);
    if (!templates.ok()) {
        result.diagnostics.insert(result.diagnostics.end(), templates.diagnostics.begin(),
                                  templates.diagnostics.end());
        result.config.reset();
    }
    return result;
}

std::string summarize(const config::Config& c) {
    return "ok: " + std::to_string(c.dali.buses.size()) + " buses, " + std::to_string(c.luminaires.size()) +
           " luminaires, " + std::to_string(c.areas.size()) + " areas, " +
           std::to_string(c.schedule.profiles.size()) + " profiles, " +
           std::to_string(c.modbus.devices.size()) + " modbus devices";
}

}  // namespace lykta
