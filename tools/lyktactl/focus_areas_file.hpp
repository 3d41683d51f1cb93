#pragma once
// focus-areas.yaml: the municipality's yearly safety decision (docs/operations.md,
// "Focus areas"). Every problem is reported as FILE:LINE:COL.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lykta::ctl {

struct FocusCoverage {
    std::string gateway;
    std::string area;
    std::string where;  // "FILE:LINE:COL" of the area (or gateway) in the file
    std::string gateway_where;
};

struct FocusArea {
    std::string name;
    std::string slug;  // id part: lower-case letters, digits and '-'
    // The `area/safety` arguments the focus area gives each of its areas
    // (reason, source, from, until, recurrence, profile); "area" and "id" are added per area.
    nlohmann::json flag;
    std::vector<FocusCoverage> covers;
};

struct FocusAreasFile {
    std::string path;
    std::string name;     // the file's own name, e.g. "bastad-trygghet": every flag's id starts with it
    std::string version;  // e.g. "2026"
    std::vector<FocusArea> areas;
    std::vector<std::string> problems;  // FILE:LINE:COL: message
    bool ok() const { return problems.empty(); }
};

FocusAreasFile read_focus_areas(const std::string& path);

// "Stationsområdet Norra" -> "stationsomradet-norra" (ASCII letters and digits; others become '-').
std::string slug_of(const std::string& text);

}  // namespace lykta::ctl
