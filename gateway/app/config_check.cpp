#include "gateway/app/config_check.hpp"

#include <algorithm>

#include "gateway/cabinet/configured_templates.hpp"

namespace lykta {

config::LoadResult check_config_file(const std::string& path) {
    auto result = config::load_file(path);
    if (!result.config) return result;
    // The templates the Modbus devices name are part of the configuration: an
    // unknown or broken template stops the start like a broken config file does.
    auto templates = cabinet::load_templates(result.config->modbus);
    if (!templates.ok()) {
        result.diagnostics.insert(result.diagnostics.end(), templates.diagnostics.begin(),
                                  templates.diagnostics.end());
        result.config.reset();
        return result;
    }
    // A photocell's value must be one the device's template reads.
    for (const auto& cell : result.config->photocells) {
        const config::ModbusDevice* device = nullptr;
        for (const auto& d : result.config->modbus.devices)
            if (d.id == cell.device) device = &d;
        auto t = device ? templates.templates.find(device->template_name) : templates.templates.end();
        if (t == templates.templates.end()) continue;
        std::vector<std::string> names;
        for (const auto& v : t->second.values) names.push_back(v.name);
        if (std::find(names.begin(), names.end(), cell.value) != names.end()) continue;
        std::string known;
        for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
        result.diagnostics.push_back({cell.value_pos, "photocell '" + cell.id + "': template '" +
                                                          device->template_name + "' of device '" +
                                                          device->id + "' has no value '" + cell.value +
                                                          "' (it has " + known + ")"});
    }
    if (!result.diagnostics.empty()) result.config.reset();
    return result;
}

std::string summarize(const config::Config& c) {
    return "ok: " + std::to_string(c.dali.buses.size()) + " buses, " + std::to_string(c.luminaires.size()) +
           " luminaires, " + std::to_string(c.areas.size()) + " areas, " +
           std::to_string(c.schedule.profiles.size()) + " profiles, " +
           std::to_string(c.modbus.devices.size()) + " modbus devices";
}

}  // namespace lykta
