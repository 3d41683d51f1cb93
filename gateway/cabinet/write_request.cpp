#include "gateway/cabinet/write_request.hpp"

namespace lykta::cabinet {

std::variant<WriteRequest, api::CommandError> parse_write_request(const nlohmann::json& args,
                                                                  const TemplateOf& template_of) {
    using api::CommandError;
    namespace code = api::error_code;
    WriteRequest out;
    if (!args.contains("device") || !args["device"].is_string())
        return CommandError{code::bad_request, "device: expected the meter's id as a string", "device"};
    out.device = args["device"].get<std::string>();
    const modbus::DeviceTemplate* t = template_of(out.device);
    if (!t) return CommandError{code::unknown_meter, "no meter '" + out.device + "'", "device"};
    if (!args.contains("value") || !args["value"].is_string())
        return CommandError{code::bad_request, "value: expected the name of a template value as a string",
                            "value"};
    const auto name = args["value"].get<std::string>();
    const modbus::ValueSpec* spec = t->find(name);
    if (!spec)
        return CommandError{code::bad_request,
                            "value: meter '" + out.device + "' has no value '" + name + "'", "value"};
    if (!modbus::is_writable(spec->table))
        return CommandError{
            code::bad_request,
            "value: '" + name + "' is a read-only " + std::string(modbus::to_string(spec->table)), "value"};
    out.value_index = static_cast<std::size_t>(spec - t->values.data());
    if (!args.contains("set")) return CommandError{code::bad_request, "set: missing", "set"};
    const auto& set = args["set"];
    if (set.is_boolean()) {
        if (spec->type != modbus::DataType::bit && spec->role == modbus::Role::none)
            return CommandError{code::bad_request, "set: '" + name + "' takes a number", "set"};
        out.set = set.get<bool>() ? 1 : 0;
    } else if (set.is_number()) {
        out.set = set.get<double>();
    } else {
        return CommandError{code::bad_request, "set: expected a number or true/false", "set"};
    }
    return out;
}

}  // namespace lykta::cabinet
