#include "gateway/luminaires/inventory_json.hpp"

#include <cstdio>
#include <string>

#include "gateway/core/rfc3339.hpp"
#include "gateway/luminaires/state_payload.hpp"

namespace lykta::luminaires {
namespace {

template <class T>
nlohmann::json or_null(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json time_or_null(const std::optional<SystemTime>& t) {
    return t ? nlohmann::json(rfc3339_utc(*t)) : nlohmann::json(nullptr);
}

std::string gtin13(std::uint64_t gtin) {
    std::string digits = std::to_string(gtin);
    return digits.size() < 13 ? std::string(13 - digits.size(), '0') + digits : digits;
}

std::string hex16(std::uint64_t v) {
    char text[24];
    std::snprintf(text, sizeof text, "%016llX", static_cast<unsigned long long>(v));
    return text;
}

template <class T>
std::optional<T> parsed(const nlohmann::json& j, const char* key, int base = 10) {
    auto it = j.find(key);
    if (it == j.end()) return std::nullopt;
    try {
        if (it->is_string()) return static_cast<T>(std::stoull(it->get<std::string>(), nullptr, base));
        if (it->is_number()) return it->get<T>();
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

}  // namespace

nlohmann::json location_json(const config::Location& l) {
    if (!l.present) return nullptr;
    nlohmann::json j{{"lat", l.lat}, {"lon", l.lon}};
    j["street"] = text_or_null(l.street);
    return j;
}

nlohmann::json luminaire_data_json(const dali::LuminaireData& d) {
    return {
        {"gtin", d.gtin ? nlohmann::json(gtin13(*d.gtin)) : nlohmann::json(nullptr)},
        {"luminaire_id", d.luminaire_id ? nlohmann::json(hex16(*d.luminaire_id)) : nlohmann::json(nullptr)},
        {"year", or_null(d.year)},
        {"week", or_null(d.week)},
        {"nominal_power_w", or_null(d.nominal_power_w)},
        {"light_output_lm", or_null(d.light_output_lm)},
        {"cct_k", or_null(d.cct_k)}};
}

dali::LuminaireData luminaire_data_from_json(const nlohmann::json& j) {
    dali::LuminaireData d;
    if (!j.is_object()) return d;
    d.gtin = parsed<std::uint64_t>(j, "gtin");
    d.luminaire_id = parsed<std::uint64_t>(j, "luminaire_id", 16);
    d.year = parsed<int>(j, "year");
    d.week = parsed<int>(j, "week");
    if (auto it = j.find("nominal_power_w"); it != j.end() && it->is_number())
        d.nominal_power_w = it->get<double>();
    d.light_output_lm = parsed<std::uint32_t>(j, "light_output_lm");
    d.cct_k = parsed<std::uint16_t>(j, "cct_k");
    return d;
}

nlohmann::json identity_json(const dali::GearInventory& g) {
    return {{"gtin", text_or_null(g.gtin_text())},
            {"identification", text_or_null(g.identification_text())},
            {"firmware", text_or_null(g.firmware_text())},
            {"luminaire_data", g.luminaire ? luminaire_data_json(*g.luminaire) : nlohmann::json(nullptr)}};
}

nlohmann::json record_json(const InventoryRecord& r) {
    nlohmann::json j{{"luminaire", r.luminaire},
                     {"bus", r.bus},
                     {"address", r.address},
                     {"area", r.area},
                     {"location", location_json(r.location)}};
    const bool known = r.has_identity();
    const auto current = identity_json(known ? r.current : dali::GearInventory{});
    for (const auto& [key, value] : current.items()) j[key] = value;
    nlohmann::json first = identity_json(r.first);
    first.erase("luminaire_data");
    first["read_at"] = time_or_null(r.first_read_at);
    j["first"] = known ? first : nlohmann::json(nullptr);
    j["read_at"] = time_or_null(r.read_at);
    j["attempted_at"] = time_or_null(r.attempted_at);
    j["problem"] = text_or_null(r.problem);
    j["swaps"] = r.swaps;
    j["changed_at"] = time_or_null(r.changed_at);
    return j;
}

nlohmann::json unread_json(const config::Luminaire& l) {
    InventoryRecord r;
    r.luminaire = l.id;
    r.bus = l.bus;
    r.address = l.address;
    r.area = l.area;
    r.location = l.location;
    return record_json(r);
}

}  // namespace lykta::luminaires
