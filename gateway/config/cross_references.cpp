#include "gateway/config/cross_references.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "gateway/config/closest_name.hpp"

namespace lykta::config {
namespace {

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& items, std::string T::*field) {
    std::vector<std::string> ids;
    for (const auto& item : items) ids.push_back(item.*field);
    return ids;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Reports every entry whose id was already used by an earlier one.
template <class T>
void check_unique(ParseContext& ctx, const std::vector<T>& items, std::string T::*field,
                  const std::vector<std::string>& paths, const std::string& noun) {
    std::map<std::string, std::string> first_path;
    for (std::size_t i = 0; i < items.size() && i < paths.size(); ++i) {
        const std::string& id = items[i].*field;
        if (id.empty()) continue;
        const std::string id_path = paths[i] + ".id";
        auto [it, inserted] = first_path.emplace(id, id_path);
        if (!inserted)
            ctx.error(ctx.where(id_path), id_path,
                      "duplicate " + noun + " id '" + id + "' (first at line " +
                          std::to_string(ctx.line_of(it->second)) + ")");
    }
}

// A reference `name` written at `path` must be one of `known`.
void check_ref(ParseContext& ctx, const std::string& path, const std::string& name,
               const std::vector<std::string>& known, const std::string& noun) {
    if (name.empty() || contains(known, name)) return;
    ctx.error(ctx.where(path), path, "unknown " + noun + " '" + name + "'" + did_you_mean(name, known));
}

void check_luminaires(ParseContext& ctx, const Config& config) {
    const auto& paths = ctx.entries.luminaires;
    check_unique(ctx, config.luminaires, &Luminaire::id, paths, "luminaire");
    const auto buses = ids_of(config.dali.buses, &DaliBus::id);
    const auto areas = ids_of(config.areas, &Area::id);
    // (bus, address) -> index of the luminaire that has it
    std::map<std::pair<std::string, int>, std::size_t> taken;
    for (std::size_t i = 0; i < config.luminaires.size() && i < paths.size(); ++i) {
        const Luminaire& l = config.luminaires[i];
        check_ref(ctx, paths[i] + ".bus", l.bus, buses, "bus");
        check_ref(ctx, paths[i] + ".area", l.area, areas, "area");
        if (l.bus.empty() || l.address < 0) continue;
        auto [it, inserted] = taken.emplace(std::pair{l.bus, l.address}, i);
        if (!inserted) {
            const auto& where = ctx.entries.luminaire_addresses[i];
            const auto& other = config.luminaires[it->second];
            ctx.error(ctx.where(where), where,
                      "short address " + std::to_string(l.address) + " on bus '" + l.bus +
                          "' is already used by luminaire '" + other.id + "' (line " +
                          std::to_string(ctx.line_of(ctx.entries.luminaire_addresses[it->second])) + ")");
        }
    }
}

void check_areas(ParseContext& ctx, const Config& config) {
    const auto& paths = ctx.entries.areas;
    check_unique(ctx, config.areas, &Area::id, paths, "area");
    const auto buses = ids_of(config.dali.buses, &DaliBus::id);
    const auto profiles = ids_of(config.schedule.profiles, &Profile::name);
    std::map<std::pair<std::string, int>, std::string> group_owner;  // (bus, group) -> area id
    for (std::size_t i = 0; i < config.areas.size() && i < paths.size(); ++i) {
        const Area& a = config.areas[i];
        check_ref(ctx, paths[i] + ".profile", a.profile, profiles, "profile");
        check_ref(ctx, paths[i] + ".safety_profile", a.safety_profile, profiles, "profile");
        for (const auto& [bus, group] : a.dali_groups) {
            const std::string group_path = paths[i] + ".dali_groups." + bus;
            if (!contains(buses, bus)) {
                ctx.error(ctx.where(group_path + ".bus"), group_path,
                          "unknown bus '" + bus + "'" + did_you_mean(bus, buses));
                continue;
            }
            auto [it, inserted] = group_owner.emplace(std::pair{bus, group}, a.id);
            if (!inserted)
                ctx.error(ctx.where(group_path), group_path,
                          "group " + std::to_string(group) + " on bus '" + bus +
                              "' is already used by area '" + it->second + "'");
        }
    }
}

void check_safety_flags(ParseContext& ctx, const Config& config) {
    const auto& paths = ctx.entries.safety_flags;
    check_unique(ctx, config.safety_flags, &SafetyFlag::id, paths, "safety flag");
    const auto areas = ids_of(config.areas, &Area::id);
    const auto profiles = ids_of(config.schedule.profiles, &Profile::name);
    for (std::size_t i = 0; i < config.safety_flags.size() && i < paths.size(); ++i) {
        const SafetyFlag& f = config.safety_flags[i];
        check_ref(ctx, paths[i] + ".area", f.area, areas, "area");
        check_ref(ctx, paths[i] + ".profile", f.profile, profiles, "profile");
        const Area* area = config.find_area(f.area);
        if (f.profile.empty() && area && area->safety_profile.empty())
            ctx.error(ctx.where(paths[i]), paths[i],
                      "area '" + f.area + "' has no safety_profile; give the flag a profile");
    }
}

// Whether the value exists and can be written is checked with the device's
// template (drivers/modbus/template_loader.cpp); here only the references.
void check_contactors(ParseContext& ctx, const Config& config) {
    const auto devices = ids_of(config.modbus.devices, &ModbusDevice::id);
    const auto areas = ids_of(config.areas, &Area::id);
    const auto& paths = ctx.entries.contactors;
    std::map<std::pair<std::string, std::string>, std::string> outputs;  // (device, value) -> path
    for (std::size_t i = 0; i < config.modbus.contactors.size() && i < paths.size(); ++i) {
        const ModbusContactor& c = config.modbus.contactors[i];
        check_ref(ctx, paths[i] + ".device", c.device, devices, "device");
        for (std::size_t a = 0; a < c.areas.size(); ++a)
            check_ref(ctx, paths[i] + ".areas[" + std::to_string(a) + "]", c.areas[a], areas, "area");
        auto [it, inserted] = outputs.emplace(std::pair{c.device, c.value}, paths[i]);
        if (!inserted)
            ctx.error(ctx.where(paths[i] + ".device"), paths[i] + ".device",
                      "this output of device '" + c.device + "' is already switched by the entry at line " +
                          std::to_string(ctx.line_of(it->second)) + "; list all its areas there");
    }
}

void check_modbus(ParseContext& ctx, const Config& config) {
    const auto& m = config.modbus;
    check_unique(ctx, m.networks, &ModbusNetwork::id, ctx.entries.networks, "network");
    check_unique(ctx, m.devices, &ModbusDevice::id, ctx.entries.devices, "device");
    const auto networks = ids_of(m.networks, &ModbusNetwork::id);
    const auto areas = ids_of(config.areas, &Area::id);
    const auto& paths = ctx.entries.devices;
    for (std::size_t i = 0; i < m.devices.size() && i < paths.size(); ++i) {
        const ModbusDevice& d = m.devices[i];
        check_ref(ctx, paths[i] + ".network", d.network, networks, "network");
        for (std::size_t a = 0; a < d.areas.size(); ++a)
            check_ref(ctx, paths[i] + ".areas[" + std::to_string(a) + "]", d.areas[a], areas, "area");
        auto net = std::find_if(m.networks.begin(), m.networks.end(),
                                [&](const ModbusNetwork& n) { return n.id == d.network; });
        if (net != m.networks.end() && net->type == "rtu" && (d.unit < 1 || d.unit > 247))
            ctx.error(ctx.where(paths[i] + ".unit"), paths[i] + ".unit",
                      std::to_string(d.unit) + " is out of range 1..247 for an rtu network");
    }
    check_contactors(ctx, config);
}

}  // namespace

void check_calendar_references(ParseContext& ctx, const Schedule& schedule, const std::vector<Area>& areas) {
    const auto& paths = ctx.entries.calendar;
    const auto profiles = ids_of(schedule.profiles, &Profile::name);
    const auto area_ids = ids_of(areas, &Area::id);
    std::vector<std::string> lists;
    for (const auto& [name, dates] : schedule.holidays) lists.push_back(name);
    for (std::size_t i = 0; i < schedule.calendar.size() && i < paths.size(); ++i) {
        const CalendarRule& r = schedule.calendar[i];
        check_ref(ctx, paths[i] + ".profile", r.profile, profiles, "profile");
        for (std::size_t a = 0; a < r.areas.size(); ++a)
            check_ref(ctx, paths[i] + ".areas[" + std::to_string(a) + "]", r.areas[a], area_ids, "area");
        for (std::size_t h = 0; h < r.holidays.size(); ++h)
            check_ref(ctx, paths[i] + ".holidays[" + std::to_string(h) + "]", r.holidays[h], lists,
                      "holiday list");
    }
}

void check_references(ParseContext& ctx, const Config& config) {
    check_unique(ctx, config.dali.buses, &DaliBus::id, ctx.entries.buses, "bus");
    check_luminaires(ctx, config);
    check_areas(ctx, config);
    check_calendar_references(ctx, config.schedule, config.areas);
    check_safety_flags(ctx, config);
    check_modbus(ctx, config);
}

}  // namespace lykta::config
