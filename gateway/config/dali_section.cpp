// dali: the buses and how each one is reached.
#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {

void parse_dali(ParseContext& ctx, const YAML::Node& node, DaliConfig& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    MapReader map(ctx, node, "dali", {"buses", "commission_on_start"});
    if (!map.is_map()) return;
    map.read("commission_on_start", out.commission_on_start);
    if (!map.has("buses")) return;
    auto items = read_list(ctx, map.node("buses"), "dali.buses");
    for (std::size_t i = 0; i < items.size(); ++i) {
        std::string path = "dali.buses[" + std::to_string(i) + "]";
        MapReader bus_map(ctx, items[i], path, {"id", "interface", "sweep_s", "energy_sweep_s"});
        if (!bus_map.is_map()) continue;
        DaliBus bus;
        bus_map.read_id("id", bus.id);
        if (bus_map.require("interface")) {
            if (auto e = parse_endpoint(ctx, bus_map.node("interface"), bus_map.path_of("interface")))
                bus.interface = *e;
        }
        bus_map.read_positive("sweep_s", bus.sweep_s);
        bus_map.read_positive("energy_sweep_s", bus.energy_sweep_s);
        out.buses.push_back(std::move(bus));
        ctx.entries.buses.push_back(path);
    }
}

}  // namespace lykta::config
