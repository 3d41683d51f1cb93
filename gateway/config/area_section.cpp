// areas: groups of luminaires that follow one profile.
#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

void read_dali_groups(ParseContext& ctx, MapReader& map, Area& area) {
    if (!map.has("dali_groups")) return;
    const YAML::Node node = map.node("dali_groups");
    const std::string path = map.path_of("dali_groups");
    if (!node.IsMap()) {
        ctx.error(ctx.pos(node), path, "expected a map of bus id to group number, got " + describe(node));
        return;
    }
    ctx.record(path, ctx.pos(node));
    for (auto it = node.begin(); it != node.end(); ++it) {
        auto bus = read_string(ctx, it->first, path);
        if (!bus || !check_id(ctx, *bus, ctx.pos(it->first), path)) continue;
        std::string group_path = path + "." + *bus;
        if (area.dali_groups.count(*bus)) {
            ctx.error(ctx.pos(it->first), path, "duplicate key '" + *bus + "'");
            continue;
        }
        if (auto group = read_integer(ctx, it->second, group_path, 0, 15)) {
            area.dali_groups[*bus] = static_cast<int>(*group);
            ctx.record(group_path + ".bus", ctx.pos(it->first));  // where the bus reference is written
        }
    }
}

}  // namespace

void parse_areas(ParseContext& ctx, const YAML::Node& node, std::vector<Area>& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    auto items = read_list(ctx, node, "areas");
    for (std::size_t i = 0; i < items.size(); ++i) {
        std::string path = "areas[" + std::to_string(i) + "]";
        MapReader map(ctx, items[i], path,
                      {"id", "name", "profile", "safety_profile", "dali_groups", "power_on_level",
                       "system_failure_level"});
        if (!map.is_map()) continue;
        Area area;
        map.read_id("id", area.id);
        map.read("name", area.name);
        if (area.name.empty()) area.name = area.id;
        map.read_id("profile", area.profile);
        if (map.has("safety_profile")) map.read_id("safety_profile", area.safety_profile);
        read_dali_groups(ctx, map, area);
        map.read("power_on_level", area.power_on_level, 0, 100);
        map.read("system_failure_level", area.system_failure_level, 0, 100);
        out.push_back(std::move(area));
        ctx.entries.areas.push_back(path);
    }
}

}  // namespace lykta::config
