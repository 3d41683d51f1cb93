#include "gateway/config/photocell_section.hpp"

#include <algorithm>
#include <map>

#include "gateway/config/closest_name.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

const ModbusDevice* find_device(const Config& config, const std::string& id) {
    for (const auto& d : config.modbus.devices)
        if (d.id == id) return &d;
    return nullptr;
}

}  // namespace

void parse_photocells(ParseContext& ctx, const YAML::Node& node, std::vector<Photocell>& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    auto items = read_list(ctx, node, "photocells");
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string path = "photocells[" + std::to_string(i) + "]";
        MapReader map(ctx, items[i], path,
                      {"id", "device", "value", "areas", "dark_when", "window_before_min", "window_after_min",
                       "on_below_lux", "off_above_lux", "confirm_s", "max_age_s", "bright_lux", "dark_lux",
                       "disagree_s"});
        if (!map.is_map()) continue;
        ctx.record(path, map.pos());
        Photocell p;
        map.read_id("id", p.id);
        map.read_id("device", p.device);
        map.read_id("value", p.value);
        p.value_pos = map.pos_of("value");
        if (map.require("areas")) {
            p.areas = read_string_list(ctx, map.node("areas"), map.path_of("areas"));
            ctx.record(map.path_of("areas"), map.pos_of("areas"));
            if (p.areas.empty()) ctx.error(map.pos_of("areas"), map.path_of("areas"), "names no area");
        }
        std::string dark_when;
        if (map.read("dark_when", dark_when)) {
            if (dark_when == "closed" || dark_when == "open")
                p.dark_when_closed = dark_when == "closed";
            else
                ctx.error(map.pos_of("dark_when"), map.path_of("dark_when"),
                          "'" + dark_when + "' is not closed or open");
        }
        map.read("window_before_min", p.window_before_min, 0, 240);
        map.read("window_after_min", p.window_after_min, 0, 240);
        map.read("on_below_lux", p.on_below_lux, 0, 1e6);
        map.read("off_above_lux", p.off_above_lux, 0, 1e6);
        map.read("confirm_s", p.confirm_s, 0, 3600);
        map.read("max_age_s", p.max_age_s, 1, 86400);
        ctx.record(map.path_of("max_age_s"), map.pos_of("max_age_s"));
        map.read("bright_lux", p.bright_lux, 0, 1e6);
        map.read("dark_lux", p.dark_lux, 0, 1e6);
        map.read("disagree_s", p.disagree_s, 0, 86400);
        // The hysteresis band: equal thresholds would switch on every flicker.
        if (p.off_above_lux <= p.on_below_lux)
            ctx.error(map.pos_of(map.has("off_above_lux") ? "off_above_lux" : "on_below_lux"),
                      map.path_of("off_above_lux"),
                      "off_above_lux " + format_number(p.off_above_lux) + " must be above on_below_lux " +
                          format_number(p.on_below_lux));
        out.push_back(std::move(p));
        ctx.entries.photocells.push_back(path);
    }
}

double photocell_max_age_s(const Photocell& photocell, const Config& config) {
    if (photocell.max_age_s) return *photocell.max_age_s;
    const auto* device = find_device(config, photocell.device);
    return device ? device->full_publish_s + 2 * device->poll_s : 120;
}

void check_photocells(ParseContext& ctx, const Config& config) {
    const auto& paths = ctx.entries.photocells;
    std::vector<std::string> devices, areas;
    for (const auto& d : config.modbus.devices) devices.push_back(d.id);
    for (const auto& a : config.areas) areas.push_back(a.id);
    std::map<std::string, std::string> ids;         // id -> path
    std::map<std::string, std::string> area_owner;  // area -> photocell id
    for (std::size_t i = 0; i < config.photocells.size() && i < paths.size(); ++i) {
        const auto& p = config.photocells[i];
        const auto& path = paths[i];
        if (!p.id.empty() && !ids.emplace(p.id, path).second)
            ctx.error(ctx.where(path), path + ".id",
                      "duplicate photocell id '" + p.id + "' (first at line " +
                          std::to_string(ctx.line_of(ids[p.id])) + ")");
        const auto* device = find_device(config, p.device);
        if (!p.device.empty() && !device)
            ctx.error(ctx.where(path + ".device"), path + ".device",
                      "unknown modbus device '" + p.device + "'" + did_you_mean(p.device, devices));
        for (std::size_t a = 0; a < p.areas.size(); ++a) {
            const std::string area_path = path + ".areas[" + std::to_string(a) + "]";
            if (std::find(areas.begin(), areas.end(), p.areas[a]) == areas.end()) {
                ctx.error(ctx.where(area_path), area_path,
                          "unknown area '" + p.areas[a] + "'" + did_you_mean(p.areas[a], areas));
                continue;
            }
            auto [it, inserted] = area_owner.emplace(p.areas[a], p.id);
            if (!inserted)
                ctx.error(ctx.where(area_path), area_path,
                          "area '" + p.areas[a] + "' is already gated by photocell '" + it->second + "'");
        }
        // Unchanged values are delivered only every full_publish_s: a shorter
        // max_age_s would call a healthy, steady sensor stale.
        if (device && p.max_age_s && *p.max_age_s < device->full_publish_s + device->poll_s)
            ctx.error(ctx.where(path + ".max_age_s"), path + ".max_age_s",
                      format_number(*p.max_age_s) + " s is shorter than device '" + device->id +
                          "' publishes an unchanged value (full_publish_s " +
                          format_number(device->full_publish_s) + " + poll_s " +
                          format_number(device->poll_s) + "); raise it or lower the device's full_publish_s");
    }
}

}  // namespace lykta::config
