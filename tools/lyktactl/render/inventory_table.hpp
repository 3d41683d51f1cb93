#pragma once
// Text forms of `inventory/get` for `lyktactl inventory`: an aligned table for
// people and CSV (RFC 4180 quoting, LF line ends, a header line, one row per luminaire) for
// spreadsheets and GIS imports. Pure; input is the "inventory" array.
#include <string>

#include <nlohmann/json.hpp>

namespace lykta::ctl {

std::string inventory_table(const nlohmann::json& inventory);
std::string inventory_csv(const nlohmann::json& inventory);

}  // namespace lykta::ctl
