#pragma once
// A device template: what one kind of Modbus device (an Eastron SDM630, an
// 8-channel relay/DI module) exposes as named values. Loaded from YAML by
// template_loader.hpp; plain values from then on.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/diagnostic.hpp"

namespace lykta::modbus {

// The four Modbus data tables (Modbus Application Protocol V1.1b3, 4.3).
enum class RegisterType { coil, discrete_input, input, holding };
enum class DataType { u16, s16, u32, s32, f32, bit };
// Byte order of a value spread over 16-bit registers, named as libmodbus'
// modbus_get_float_abcd/badc/cdab/dcba: "abcd" is big-endian, high word first
// (Eastron); "cdab" low word first; "badc"/"dcba" with bytes swapped in each word.
enum class WordOrder { abcd, badc, cdab, dcba };
// What Lykta itself does with a value beyond publishing it.
enum class Role {
    none,
    door_open,
    contactor_feedback,
    contactor_output,
    photocell,
    active_power,
    energy_import
};

std::string_view to_string(RegisterType type);
std::string_view to_string(DataType type);
std::string_view to_string(WordOrder order);
std::string_view to_string(Role role);
std::optional<RegisterType> register_type_from(std::string_view text);
std::optional<DataType> data_type_from(std::string_view text);
std::optional<WordOrder> word_order_from(std::string_view text);
std::optional<Role> role_from(std::string_view text);

// Registers (or bits) one value of `type` occupies.
int width_of(DataType type);
bool is_bit_table(RegisterType type);
// Coils and holding registers can be written; the other two tables are read-only.
bool is_writable(RegisterType type);

struct ValueSpec {
    std::string name;  // key in P/meter/<id>/state
    RegisterType table = RegisterType::input;
    int address = 0;  // 0-based PDU address
    DataType type = DataType::u16;
    WordOrder order = WordOrder::abcd;
    double scale = 1;           // published = raw × scale
    std::string unit;           // "V", "A", "W", "kWh", "" for bits
    std::string group;          // poll group name
    double deadband = 0;        // publish on change only when |new − last| > deadband
    std::optional<double> min;  // published values outside [min, max] are bad data
    std::optional<double> max;
    Role role = Role::none;
    SourcePos pos;  // where the value is defined, for diagnostics
};

struct PollGroup {
    std::string name;
    std::optional<double> interval_s;  // none: the device's poll_s
};

struct DeviceTemplate {
    std::string name;
    std::string file;
    std::string description;
    int max_read_registers = 125;  // some devices accept less (Eastron: 80)
    int max_gap = 0;  // unused registers one read may span to merge two runs (0: contiguous only)
    // Writes always as "write multiple" (FC15 coils / FC16 registers), even for
    // one coil or register: some devices implement only those.
    bool write_multiple = false;
    std::vector<PollGroup> groups;
    std::vector<ValueSpec> values;

    const ValueSpec* find(std::string_view value_name) const;
    const ValueSpec* find_role(Role role) const;
};

}  // namespace lykta::modbus
