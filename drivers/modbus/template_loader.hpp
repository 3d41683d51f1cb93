#pragma once
// Device templates from YAML (schema: docs/modbus.md). Problems are config
// problems: each one is reported as TEMPLATEFILE:LINE:COL with its key path,
// all of them in one run, and a template with any problem is not returned.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "drivers/modbus/device_template.hpp"
#include "gateway/core/diagnostic.hpp"

namespace lykta::modbus {

struct TemplateLoad {
    std::optional<DeviceTemplate> device_template;  // set only when diagnostics is empty
    Diagnostics diagnostics;
};

// `name` is the template's name (the file stem); `file` names it in diagnostics.
TemplateLoad load_template_string(const std::string& yaml, const std::string& name, const std::string& file);
TemplateLoad load_template_file(const std::string& path);

// First "<dir>/<name>.yaml" that exists, searching `dirs` in order; empty when none.
std::string find_template_file(const std::string& name, const std::vector<std::string>& dirs);

struct TemplateSet {
    std::map<std::string, DeviceTemplate> templates;  // by name
    Diagnostics diagnostics;
    bool ok() const { return diagnostics.empty(); }
};

// The value a contactor entry switches: `value` by name, or when empty the
// template's contactor_output role. nullptr when there is none.
const ValueSpec* contactor_output(const DeviceTemplate& device_template, const std::string& value);

}  // namespace lykta::modbus
