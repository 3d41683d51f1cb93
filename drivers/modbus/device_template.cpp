#include "drivers/modbus/device_template.hpp"

#include <array>
#include <utility>

namespace lykta::modbus {
namespace {

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return "?";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text) {
    for (const auto& [v, name] : table)
        if (name == text) return v;
    return std::nullopt;
}

constexpr std::array<std::pair<RegisterType, std::string_view>, 4> register_types{{
    {RegisterType::coil, "coil"},
    {RegisterType::discrete_input, "discrete_input"},
    {RegisterType::input, "input"},
    {RegisterType::holding, "holding"},
}};
constexpr std::array<std::pair<DataType, std::string_view>, 6> data_types{{
    {DataType::u16, "u16"},
    {DataType::s16, "s16"},
    {DataType::u32, "u32"},
    {DataType::s32, "s32"},
    {DataType::f32, "f32"},
    {DataType::bit, "bit"},
}};
constexpr std::array<std::pair<WordOrder, std::string_view>, 4> word_orders{{
    {WordOrder::abcd, "abcd"},
    {WordOrder::badc, "badc"},
    {WordOrder::cdab, "cdab"},
    {WordOrder::dcba, "dcba"},
}};
constexpr std::array<std::pair<Role, std::string_view>, 7> roles{{
    {Role::none, "none"},
    {Role::door_open, "door_open"},
    {Role::contactor_feedback, "contactor_feedback"},
    {Role::contactor_output, "contactor_output"},
    {Role::photocell, "photocell"},
    {Role::active_power, "active_power"},
    {Role::energy_import, "energy_import"},
}};

}  // namespace

std::string_view to_string(RegisterType type) {
    return name_of(register_types, type);
}
std::string_view to_string(DataType type) {
    return name_of(data_types, type);
}
std::string_view to_string(WordOrder order) {
    return name_of(word_orders, order);
}
std::string_view to_string(Role role) {
    return name_of(roles, role);
}
std::optional<RegisterType> register_type_from(std::string_view text) {
    return value_of(register_types, text);
}
std::optional<DataType> data_type_from(std::string_view text) {
    return value_of(data_types, text);
}
std::optional<WordOrder> word_order_from(std::string_view text) {
    return value_of(word_orders, text);
}
std::optional<Role> role_from(std::string_view text) {
    return value_of(roles, text);
}

int width_of(DataType type) {
    switch (type) {
        case DataType::u32:
        case DataType::s32:
        case DataType::f32:
            return 2;
        default:
            return 1;
    }
}

bool is_bit_table(RegisterType type) {
    return type == RegisterType::coil || type == RegisterType::discrete_input;
}

bool is_writable(RegisterType type) {
    return type == RegisterType::coil || type == RegisterType::holding;
}

const ValueSpec* DeviceTemplate::find(std::string_view value_name) const {
    for (const auto& v : values)
        if (v.name == value_name) return &v;
    return nullptr;
}

const ValueSpec* DeviceTemplate::find_role(Role role) const {
    for (const auto& v : values)
        if (v.role == role) return &v;
    return nullptr;
}

}  // namespace lykta::modbus
