#pragma once
// The `modbus/write` command's arguments, checked against the configured
// devices and their templates before anything goes on the bus:
//   {"device": "io1", "value": "contactor", "set": true}
// `set` is a number, or true/false for on/off values.
#include <functional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "drivers/modbus/device_template.hpp"
#include "gateway/api/command.hpp"

namespace lykta::cabinet {

struct WriteRequest {
    std::string device;
    std::size_t value_index = 0;  // into the device's template values
    double set = 0;
};

// The device's template, or nullptr for an unknown device.
using TemplateOf = std::function<const modbus::DeviceTemplate*(const std::string& device)>;

// A checked request, or the error to answer with (bad_request with the field
// at fault, unknown_meter).
std::variant<WriteRequest, api::CommandError> parse_write_request(const nlohmann::json& args,
                                                                  const TemplateOf& template_of);

}  // namespace lykta::cabinet
