#include "drivers/modbus/template_loader.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "gateway/config/yaml_document.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::modbus {
namespace {

using config::MapReader;
using config::Need;
using config::ParseContext;

const std::vector<std::string> value_keys{"name", "register", "address",  "type", "word_order", "scale",
                                          "unit", "group",    "deadband", "min",  "max",        "role"};

// Addresses are written as in the vendors' tables: decimal or 0x-hex PDU addresses.
std::optional<int> read_address(ParseContext& ctx, MapReader& map) {
    if (!map.require("address")) return std::nullopt;
    auto text = config::read_string(ctx, map.node("address"), map.path_of("address"));
    if (!text) return std::nullopt;
    std::string_view s = *text;
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        base = 16;
    }
    long value = -1;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value < 0 || value > 0xFFFF) {
        ctx.error(map.pos_of("address"), map.path_of("address"),
                  "'" + *text + "' is not a register address 0..65535 (decimal or 0x hex, 0-based)");
        return std::nullopt;
    }
    return static_cast<int>(value);
}

template <class E>
bool read_enum(ParseContext& ctx, MapReader& map, const char* key, E& out,
               std::optional<E> (*parse)(std::string_view), const char* choices) {
    std::string text;
    if (!map.read(key, text)) return false;
    if (auto v = parse(text)) {
        out = *v;
        return true;
    }
    ctx.error(map.pos_of(key), map.path_of(key),
              "unknown " + std::string(key) + " '" + text + "' (" + choices + ")");
    return false;
}

struct Parser {
    ParseContext& ctx;
    DeviceTemplate& out;
    std::set<std::string> group_names;

    void parse_groups(const YAML::Node& node) {
        auto items = config::read_list(ctx, node, "poll_groups");
        for (std::size_t i = 0; i < items.size(); ++i) {
            std::string path = "poll_groups[" + std::to_string(i) + "]";
            MapReader map(ctx, items[i], path, {"name", "interval_s"});
            if (!map.is_map()) continue;
            PollGroup group;
            if (!map.read_id("name", group.name)) continue;
            double interval = 0;
            if (map.read_positive("interval_s", interval)) group.interval_s = interval;
            if (!group_names.insert(group.name).second) {
                ctx.error(map.pos_of("name"), map.path_of("name"),
                          "poll group '" + group.name + "' is defined twice");
                continue;
            }
            out.groups.push_back(group);
        }
    }

    void parse_value(const YAML::Node& node, const std::string& path) {
        MapReader map(ctx, node, path, value_keys);
        if (!map.is_map()) return;
        ValueSpec v;
        v.pos = map.pos();
        bool ok = map.read_id("name", v.name);
        if (map.require("register"))
            ok &= read_enum(ctx, map, "register", v.table, &register_type_from,
                            "coil, discrete_input, input or holding");
        else
            ok = false;
        auto address = read_address(ctx, map);
        ok &= address.has_value();
        v.type = is_bit_table(v.table) ? DataType::bit : DataType::u16;
        if (map.has("type"))
            ok &= read_enum(ctx, map, "type", v.type, &data_type_from, "u16, s16, u32, s32, f32 or bit");
        if (map.has("word_order"))
            ok &= read_enum(ctx, map, "word_order", v.order, &word_order_from, "abcd, badc, cdab or dcba");
        if (map.has("role"))
            ok &= read_enum(ctx, map, "role", v.role, &role_from,
                            "door_open, contactor_feedback, contactor_output, photocell, "
                            "active_power or energy_import");
        map.read("scale", v.scale, -1e12, 1e12);
        if (v.scale == 0)
            ctx.error(map.pos_of("scale"), map.path_of("scale"), "0 would turn every value into 0");
        map.read("unit", v.unit);
        map.read("deadband", v.deadband, 0, 1e12);
        map.read("min", v.min, -1e15, 1e15);
        map.read("max", v.max, -1e15, 1e15);
        if (v.min && v.max && *v.max < *v.min)
            ctx.error(map.pos_of("max"), map.path_of("max"), "max is below min");
        if (map.has("group") ? map.read_id("group", v.group) : false) {
            if (!group_names.count(v.group))
                ctx.error(map.pos_of("group"), map.path_of("group"),
                          "no poll group '" + v.group + "' (define it under poll_groups)");
        } else if (!map.has("group")) {
            v.group = out.groups.empty() ? "default" : out.groups.front().name;
        }
        if (!ok) return;
        if (address && *address + width_of(v.type) - 1 > 0xFFFF)
            ctx.error(map.pos_of("address"), map.path_of("address"), "the value runs past register 65535");
        v.address = *address;
        bool bit_table = is_bit_table(v.table);
        if (bit_table && v.type != DataType::bit)
            ctx.error(map.pos_of("type"), map.path_of("type"),
                      std::string(to_string(v.table)) + " holds single bits: use type bit");
        if (!bit_table && v.type == DataType::bit)
            ctx.error(map.pos_of("type"), map.path_of("type"),
                      std::string(to_string(v.table)) +
                          " registers are 16 bits wide: use u16, s16, u32, s32 or f32");
        bool is_switch = v.role == Role::door_open || v.role == Role::contactor_feedback ||
                         v.role == Role::contactor_output || v.role == Role::photocell;
        if (is_switch && v.type != DataType::bit && v.type != DataType::u16)
            ctx.error(map.pos_of("role"), map.path_of("role"),
                      std::string(to_string(v.role)) + " is an on/off value: use a bit or a u16 (0/1)");
        if (v.role == Role::contactor_output && !is_writable(v.table))
            ctx.error(map.pos_of("role"), map.path_of("role"),
                      "contactor_output must be a coil or holding register (it is written)");
        out.values.push_back(std::move(v));
    }

    // Two values sharing a register would publish one reading twice under
    // different names, which is nearly always a typo in the address.
    void check_overlaps(const std::vector<std::string>& paths) {
        std::set<std::string> names;
        std::set<Role> roles;
        for (std::size_t i = 0; i < out.values.size(); ++i) {
            const auto& v = out.values[i];
            if (!names.insert(v.name).second)
                ctx.error(v.pos, paths[i] + ".name", "value '" + v.name + "' is defined twice");
            if (v.role != Role::none && !roles.insert(v.role).second)
                ctx.error(v.pos, paths[i] + ".role",
                          "role " + std::string(to_string(v.role)) + " is given to more than one value");
            for (std::size_t j = 0; j < i; ++j) {
                const auto& w = out.values[j];
                if (w.table != v.table) continue;
                if (v.address < w.address + width_of(w.type) && w.address < v.address + width_of(v.type))
                    ctx.error(v.pos, paths[i] + ".address",
                              "overlaps value '" + w.name + "' (line " + std::to_string(w.pos.line) + ")");
            }
        }
    }
};

}  // namespace

TemplateLoad load_template_string(const std::string& yaml, const std::string& name, const std::string& file) {
    ParseContext ctx(file, std::filesystem::path(file).parent_path());
    TemplateLoad result;
    DeviceTemplate out;
    out.name = name;
    out.file = file;
    if (auto root = config::parse_yaml_document(ctx, yaml)) {
        MapReader top(ctx, *root, "",
                      {"name", "description", "max_read_registers", "max_gap", "write_multiple",
                       "poll_groups", "values"});
        if (top.is_map()) {
            std::string declared;
            if (top.read("name", declared) && declared != name)
                ctx.error(top.pos_of("name"), "name",
                          "'" + declared + "' differs from the file name '" + name + "'");
            top.read("description", out.description);
            top.read("max_read_registers", out.max_read_registers, 1, 125);
            top.read("max_gap", out.max_gap, 0, 124);
            top.read("write_multiple", out.write_multiple);
            Parser parser{ctx, out, {}};
            if (top.has("poll_groups")) parser.parse_groups(top.node("poll_groups"));
            if (top.require("values")) {
                auto items = config::read_list(ctx, top.node("values"), "values");
                std::vector<std::string> paths;
                for (std::size_t i = 0; i < items.size(); ++i) {
                    std::string path = "values[" + std::to_string(i) + "]";
                    std::size_t before = out.values.size();
                    parser.parse_value(items[i], path);
                    if (out.values.size() > before) paths.push_back(path);
                }
                if (items.empty() && top.node("values").IsSequence())
                    ctx.error(top.pos_of("values"), "values", "a template needs at least one value");
                parser.check_overlaps(paths);
            }
            if (out.groups.empty()) out.groups.push_back({"default", std::nullopt});
        }
    }
    result.diagnostics = ctx.take_diagnostics();
    if (result.diagnostics.empty()) result.device_template = std::move(out);
    return result;
}

TemplateLoad load_template_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        TemplateLoad result;
        Diagnostic problem;
        problem.pos.file = path;
        problem.message = std::string("cannot read the template: ") + std::strerror(errno);
        result.diagnostics.push_back(std::move(problem));
        return result;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return load_template_string(text.str(), std::filesystem::path(path).stem().string(), path);
}

std::string find_template_file(const std::string& name, const std::vector<std::string>& dirs) {
    for (const auto& dir : dirs) {
        std::error_code ec;
        auto candidate = std::filesystem::path(dir) / (name + ".yaml");
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    }
    return {};
}

const ValueSpec* contactor_output(const DeviceTemplate& device_template, const std::string& value) {
    return value.empty() ? device_template.find_role(Role::contactor_output) : device_template.find(value);
}

}  // namespace lykta::modbus
