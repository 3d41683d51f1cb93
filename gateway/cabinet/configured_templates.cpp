#include "gateway/cabinet/configured_templates.hpp"

#include <algorithm>
#include <set>

namespace lykta::cabinet {

namespace {

// A contactor names a value of its device's template (or relies on the role):
// it must exist and be writable. Devices with an unknown template are reported already.
void check_contactor_outputs(const config::ModbusConfig& config, modbus::TemplateSet& set) {
    for (std::size_t i = 0; i < config.contactors.size(); ++i) {
        const auto& c = config.contactors[i];
        auto device = std::find_if(config.devices.begin(), config.devices.end(),
                                   [&](const config::ModbusDevice& d) { return d.id == c.device; });
        if (device == config.devices.end()) continue;
        auto t = set.templates.find(device->template_name);
        if (t == set.templates.end()) continue;
        const std::string path = "modbus.contactors[" + std::to_string(i) + "]";
        const modbus::ValueSpec* spec = modbus::contactor_output(t->second, c.value);
        if (!spec) {
            set.diagnostics.push_back(
                {c.value_pos, c.value.empty() ? path + ": template '" + t->first +
                                                    "' has no value with role contactor_output; name one "
                                                    "with `value`"
                                              : path + ".value: template '" + t->first + "' has no value '" +
                                                    c.value + "'"});
        } else if (!modbus::is_writable(spec->table)) {
            set.diagnostics.push_back({c.value_pos, path + ".value: '" + spec->name + "' is a read-only " +
                                                        std::string(modbus::to_string(spec->table)) +
                                                        "; a contactor needs a coil or holding register"});
        }
    }
}

}  // namespace

modbus::TemplateSet load_templates(const config::ModbusConfig& config) {
    modbus::TemplateSet set;
    std::set<std::string> failed;
    for (std::size_t i = 0; i < config.devices.size(); ++i) {
        const auto& device = config.devices[i];
        const auto& name = device.template_name;
        if (set.templates.count(name) || failed.count(name)) continue;
        std::string file = modbus::find_template_file(name, config.template_dirs);
        if (file.empty()) {
            std::string searched;
            for (const auto& dir : config.template_dirs) searched += (searched.empty() ? "" : ", ") + dir;
            set.diagnostics.push_back(
                {device.template_pos, "modbus.devices[" + std::to_string(i) + "].template: no template '" +
                                          name + "' (looked for " + name + ".yaml in " + searched + ")"});
            failed.insert(name);
            continue;
        }
        auto loaded = modbus::load_template_file(file);
        if (!loaded.device_template) {
            set.diagnostics.insert(set.diagnostics.end(), loaded.diagnostics.begin(),
                                   loaded.diagnostics.end());
            failed.insert(name);
            continue;
        }
        set.templates.emplace(name, std::move(*loaded.device_template));
    }
    check_contactor_outputs(config, set);
    return set;
}

}  // namespace lykta::cabinet
