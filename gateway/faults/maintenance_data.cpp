#include "gateway/faults/maintenance_data.hpp"

#include <map>

#include "gateway/core/rfc3339.hpp"
#include "gateway/faults/observation.hpp"

namespace lykta::faults {

bool darkens_luminaire(FaultKind kind) {
    switch (kind) {
        case FaultKind::lamp_failure:
        case FaultKind::gear_failure:
        case FaultKind::no_answer:
        case FaultKind::night_outage:
        case FaultKind::bus_power:
        case FaultKind::interface_down:
            return true;
        default:
            return false;
    }
}

nlohmann::json maintenance_data(const FaultBook& book, const config::Config& config) {
    auto active = book.active();
    struct Mark {
        bool faulty = false;
        Severity worst = Severity::minor;
        bool dark = false;
    };
    std::map<std::string, Mark> by_target;
    auto faults = nlohmann::json::array();
    for (const auto& f : active) {
        faults.push_back(fault_record_json(f, &config));
        auto& mark = by_target[f.target];
        mark.worst = mark.faulty ? std::max(mark.worst, f.severity) : f.severity;
        mark.faulty = true;
        mark.dark = mark.dark || darkens_luminaire(f.kind);
    }

    struct AreaCount {
        int total = 0;
        int dark = 0;
    };
    std::map<std::string, AreaCount> areas;
    auto luminaires = nlohmann::json::array();
    for (const auto& lum : config.luminaires) {
        Mark mark;
        for (const auto& target : {luminaire_target(lum.id), bus_target(lum.bus)}) {
            auto it = by_target.find(target);
            if (it == by_target.end()) continue;
            const auto& m = it->second;
            // A bus fault darkens the luminaire but only its dark kinds count.
            if (target != luminaire_target(lum.id) && !m.dark) continue;
            mark.worst = mark.faulty ? std::max(mark.worst, m.worst) : m.worst;
            mark.faulty = true;
            mark.dark = mark.dark || m.dark;
        }
        auto& count = areas[lum.area];
        ++count.total;
        if (mark.dark) ++count.dark;
        luminaires.push_back({{"id", lum.id},
                              {"area", lum.area},
                              {"bus", lum.bus},
                              {"address", lum.address},
                              {"street", lum.location.street},
                              {"lat", lum.location.lat},
                              {"lon", lum.location.lon},
                              {"located", lum.location.present},
                              {"state", mark.faulty ? std::string(to_string(mark.worst)) : std::string("ok")},
                              {"dark", mark.dark}});
    }
    auto area_list = nlohmann::json::array();
    for (const auto& area : config.areas) {
        auto count = areas[area.id];
        double pct = count.total ? 100.0 * (count.total - count.dark) / count.total : 100.0;
        area_list.push_back({{"id", area.id},
                             {"name", area.name},
                             {"luminaires", count.total},
                             {"dark", count.dark},
                             {"availability_pct", pct},
                             {"safety", book.safety_in_force(area.id)}});
    }
    return {{"gateway", {{"id", config.gateway.id}, {"name", config.gateway.name}}},
            {"faults", std::move(faults)},
            {"luminaires", std::move(luminaires)},
            {"areas", std::move(area_list)},
            {"ts", rfc3339_utc(book.clock().now())}};
}

}  // namespace lykta::faults
