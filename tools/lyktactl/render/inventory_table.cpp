#include "render/inventory_table.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "gateway/core/text_table.hpp"

namespace lykta::ctl {
namespace {

// A member as text: strings as they are, numbers in their JSON form, null/missing as "".
std::string text(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    return it->dump();
}

std::string coordinate(const nlohmann::json& location, const char* key) {
    if (!location.is_object() || !location.contains(key) || !location[key].is_number()) return {};
    char out[32];
    std::snprintf(out, sizeof out, "%.6f", location[key].get<double>());
    return out;
}

const nlohmann::json& member(const nlohmann::json& j, const char* key) {
    static const nlohmann::json null;
    return j.is_object() && j.contains(key) ? j[key] : null;
}

}  // namespace

std::string inventory_table(const nlohmann::json& inventory) {
    if (!inventory.is_array() || inventory.empty()) return "No luminaires.\n";
    std::vector<std::vector<std::string>> rows{{"LUMINAIRE", "BUS/ADDR", "AREA", "STREET", "GTIN", "SERIAL",
                                                "FW", "LUMINAIRE GTIN", "READ", "SWAPS", "PROBLEM"}};
    for (const auto& e : inventory) {
        const auto& data = member(e, "luminaire_data");
        std::string swaps = text(e, "swaps");
        rows.push_back({text(e, "luminaire"), text(e, "bus") + "/" + text(e, "address"), text(e, "area"),
                        text(member(e, "location"), "street"), text(e, "gtin"), text(e, "identification"),
                        text(e, "firmware"), text(data, "gtin"), text(e, "read_at"),
                        swaps == "0" ? std::string() : swaps, text(e, "problem")});
    }
    return aligned_table(rows);
}

std::string inventory_csv(const nlohmann::json& inventory) {
    std::string out =
        "luminaire,bus,address,area,lat,lon,street,gtin,identification,firmware,"
        "luminaire_gtin,luminaire_id,year,week,nominal_power_w,light_output_lm,cct_k,"
        "first_gtin,first_identification,first_read_at,read_at,swaps,changed_at,problem\n";
    if (!inventory.is_array()) return out;
    for (const auto& e : inventory) {
        const auto& location = member(e, "location");
        const auto& data = member(e, "luminaire_data");
        const auto& first = member(e, "first");
        const std::vector<std::string> fields{text(e, "luminaire"),
                                              text(e, "bus"),
                                              text(e, "address"),
                                              text(e, "area"),
                                              coordinate(location, "lat"),
                                              coordinate(location, "lon"),
                                              text(location, "street"),
                                              text(e, "gtin"),
                                              text(e, "identification"),
                                              text(e, "firmware"),
                                              text(data, "gtin"),
                                              text(data, "luminaire_id"),
                                              text(data, "year"),
                                              text(data, "week"),
                                              text(data, "nominal_power_w"),
                                              text(data, "light_output_lm"),
                                              text(data, "cct_k"),
                                              text(first, "gtin"),
                                              text(first, "identification"),
                                              text(first, "read_at"),
                                              text(e, "read_at"),
                                              text(e, "swaps"),
                                              text(e, "changed_at"),
                                              text(e, "problem")};
        for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
        out += "\n";
    }
    return out;
}

}  // namespace lykta::ctl
