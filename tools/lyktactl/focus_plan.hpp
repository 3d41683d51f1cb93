#pragma once
// What a focus-areas file changes on one gateway (pure). Flags from a file
// have the id "<file name>.<version>.<focus id>.<area>.<digest>" and the
// source "<source> (<file name> <version>)": the file name marks every flag
// any version of the file created, the digest changes when anything the flag
// says changes. Flags with other ids (set by hand, or in the config) are
// never touched.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "focus_areas_file.hpp"

namespace lykta::ctl {

struct WantedFlag {
    std::string area;
    nlohmann::json args;  // the complete area/safety request (with "id" and "area")
};

// The flags the file wants on `gateway`.
std::vector<WantedFlag> wanted_flags(const FocusAreasFile& file, const std::string& gateway);

struct GatewayPlan {
    std::vector<WantedFlag> add;                                // no flag of this file on the area yet
    std::vector<std::pair<nlohmann::json, WantedFlag>> change;  // (the old flag, its replacement)
    std::vector<nlohmann::json> end;                            // this file's flags it no longer names
    std::vector<nlohmann::json> kept;                           // already as wanted
    bool empty() const { return add.empty() && change.empty() && end.empty(); }
};

// `existing` is the area/safety/list answer's "flags".
GatewayPlan plan_gateway(const std::string& file_name, const std::vector<WantedFlag>& wanted,
                         const nlohmann::json& existing);

}  // namespace lykta::ctl
