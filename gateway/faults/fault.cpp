#include "gateway/faults/fault.hpp"

#include <charconv>

#include "gateway/core/rfc3339.hpp"
#include "gateway/faults/time_text.hpp"

namespace lykta::faults {

std::optional<std::int64_t> parse_fault_id(const std::string& id) {
    if (id.size() < 3 || id.compare(0, 2, "F-") != 0) return std::nullopt;
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(id.data() + 2, id.data() + id.size(), n);
    if (ec != std::errc{} || end != id.data() + id.size() || n <= 0) return std::nullopt;
    return n;
}

bool alarm_order(const Fault& a, const Fault& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.since != b.since) return a.since < b.since;
    return a.number < b.number;
}

nlohmann::json fault_json(const Fault& fault) {
    return {{"id", fault.id()},
            {"kind", to_string(fault.kind)},
            {"severity", to_string(fault.severity)},
            {"target", fault.target},
            {"area", fault.area.empty() ? nlohmann::json(nullptr) : nlohmann::json(fault.area)},
            {"since", rfc3339_utc(fault.since)},
            {"acknowledged", fault.acknowledged()},
            {"detail", fault.detail}};
}

nlohmann::json fault_record_json(const Fault& fault, const config::Config* config) {
    auto j = fault_json(fault);
    j["cleared"] =
        fault.cleared_at ? nlohmann::json(rfc3339_utc(*fault.cleared_at)) : nlohmann::json(nullptr);
    if (!fault.cleared_reason.empty()) j["cleared_reason"] = fault.cleared_reason;
    if (fault.acknowledged()) {
        j["acknowledged_at"] = rfc3339_utc(*fault.acknowledged_at);
        j["acknowledged_by"] = fault.acknowledged_by;
        j["note"] = fault.note;
    }
    static const std::string prefix = "luminaire/";
    if (config && fault.target.compare(0, prefix.size(), prefix) == 0) {
        if (const auto* lum = config->find_luminaire(fault.target.substr(prefix.size()))) {
            j["bus"] = lum->bus;
            j["address"] = lum->address;
            if (lum->location.present || !lum->location.street.empty())
                j["location"] = {
                    {"street", lum->location.street}, {"lat", lum->location.lat}, {"lon", lum->location.lon}};
        }
    }
    return j;
}

}  // namespace lykta::faults
