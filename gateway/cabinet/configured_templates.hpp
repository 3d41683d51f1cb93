#pragma once
// The device templates a config's Modbus devices name, each loaded once from
// the config's template_dirs (drivers/modbus/template_loader.hpp). An unknown
// template is reported at the device's `template` key in the config file.
// Also checks that every `modbus.contactors` entry names a writable value of
// its device's template (reported at the entry's `value`).
#include "drivers/modbus/template_loader.hpp"
#include "gateway/config/model.hpp"

namespace lykta::cabinet {

modbus::TemplateSet load_templates(const config::ModbusConfig& config);

}  // namespace lykta::cabinet
