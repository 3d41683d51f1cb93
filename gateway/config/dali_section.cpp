// dali: the buses and how each one is reached.
#include <algorithm>

#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {

const std::vector<std::string>& known_dali_protocols() {
    static const std::vector<std::string> protocols{"foxtron", "hasseb"};
    return protocols;
}

namespace {

// The endpoint must name a protocol lyktad speaks, in a form that protocol can use.
bool check_dali_protocol(ParseContext& ctx, const YAML::Node& node, const std::string& path,
                         const Endpoint& e) {
    const auto& known = known_dali_protocols();
    if (std::find(known.begin(), known.end(), e.protocol) == known.end()) {
        std::string list;
        for (const auto& p : known) list += (list.empty() ? "" : ", ") + p;
        ctx.error(ctx.pos(node), path,
                  "unknown DALI interface protocol '" + e.protocol + "' (known: " + list + ")");
        return false;
    }
    if (e.protocol == "hasseb" && e.device.empty()) {
        ctx.error(ctx.pos(node), path,
                  "hasseb is a USB HID device: give its hidraw path (hasseb:///dev/hidraw0)");
        return false;
    }
    return true;
}

}  // namespace

void parse_dali(ParseContext& ctx, const YAML::Node& node, DaliConfig& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    MapReader map(ctx, node, "dali", {"buses", "commission_on_start", "group_membership"});
    if (!map.is_map()) return;
    map.read("commission_on_start", out.commission_on_start);
    if (std::string policy; map.read("group_membership", policy)) {
        if (policy == "repair")
            out.group_membership = GroupMembership::repair;
        else if (policy == "report")
            out.group_membership = GroupMembership::report;
        else if (policy == "trust")
            out.group_membership = GroupMembership::trust;
        else
            ctx.error(map.pos_of("group_membership"), "dali.group_membership",
                      "unknown policy '" + policy + "' (repair, report, trust)");
    }
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
                if (check_dali_protocol(ctx, bus_map.node("interface"), bus_map.path_of("interface"), *e))
                    bus.interface = *e;
        }
        bus_map.read_positive("sweep_s", bus.sweep_s);
        bus_map.read_positive("energy_sweep_s", bus.energy_sweep_s);
        out.buses.push_back(std::move(bus));
        ctx.entries.buses.push_back(path);
    }
}

}  // namespace lykta::config
