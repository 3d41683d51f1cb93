#include "focus_plan.hpp"

#include "json_fields.hpp"

#include <cstdio>
#include <map>

namespace lykta::ctl {
namespace {

// FNV-1a 32 of what the flag says: a changed reason, date or recurrence gives a new id.
std::string digest(const std::string& text) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : text) h = (h ^ c) * 16777619u;
    char out[9];
    std::snprintf(out, sizeof out, "%08x", h);
    return out;
}

bool from_file(const std::string& file_name, const nlohmann::json& flag) {
    const auto id = text_field(flag, "id");
    return text_field(flag, "origin", "mqtt") == "mqtt" && id.rfind(file_name + ".", 0) == 0;
}

}  // namespace

std::vector<WantedFlag> wanted_flags(const FocusAreasFile& file, const std::string& gateway) {
    std::vector<WantedFlag> out;
    for (const auto& focus : file.areas)
        for (const auto& c : focus.covers) {
            if (c.gateway != gateway) continue;
            auto args = focus.flag;
            args["area"] = c.area;
            args["source"] = args.value("source", "") + " (" + file.name + " " + file.version + ")";
            args["id"] =
                file.name + "." + file.version + "." + focus.slug + "." + c.area + "." + digest(args.dump());
            out.push_back({c.area, std::move(args)});
        }
    return out;
}

GatewayPlan plan_gateway(const std::string& file_name, const std::vector<WantedFlag>& wanted,
                         const nlohmann::json& existing) {
    GatewayPlan plan;
    std::multimap<std::string, nlohmann::json> ours;  // by area
    if (existing.is_array())
        for (const auto& f : existing)
            if (from_file(file_name, f)) ours.emplace(text_field(f, "area"), f);
    for (const auto& w : wanted) {
        auto [first, last] = ours.equal_range(w.area);
        bool same = false;
        for (auto it = first; it != last; ++it) same = same || text_field(it->second, "id") == w.args["id"];
        if (same) {
            for (auto it = first; it != last; ++it)
                (text_field(it->second, "id") == w.args["id"] ? plan.kept : plan.end).push_back(it->second);
        } else if (first != last) {
            plan.change.emplace_back(first->second, w);
            for (auto it = std::next(first); it != last; ++it) plan.end.push_back(it->second);
        } else {
            plan.add.push_back(w);
        }
        ours.erase(w.area);
    }
    for (const auto& [area, f] : ours) plan.end.push_back(f);
    return plan;
}

}  // namespace lykta::ctl
