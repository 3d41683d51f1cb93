#include "gateway/luminaires/commission_report.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

namespace lykta::luminaires {
namespace {
nlohmann::json luminaire_at(const BusPlan& plan, int address) {
    auto it = plan.by_address.find(address);
    if (it == plan.by_address.end()) return nullptr;
    return it->second->id;
}
std::string hex24(std::uint32_t v) {
    char buf[12];
    std::snprintf(buf, sizeof buf, "%06X", v);
    return buf;
}
}  // namespace

nlohmann::json commission_report_json(const std::string& bus_id, const BusPlan& plan,
                                      const dali::CommissionReport& report,
                                      const std::vector<dali::FailSafeResult>& fail_safe) {
    nlohmann::json j;
    j["bus"] = bus_id;
    j["ok"] = report.ok;
    j["found"] = nlohmann::json::array();
    for (const auto& f : report.found)
        j["found"].push_back(
            {{"address", f.address},
             {"luminaire", luminaire_at(plan, f.address)},
             {"random_address", hex24(f.random_address)},
             {"device_type", f.device_type < 0 ? nlohmann::json(nullptr) : nlohmann::json(f.device_type)}});
    j["present"] = report.present;
    j["absent"] = nlohmann::json::array();
    for (int a : report.absent) j["absent"].push_back({{"address", a}, {"luminaire", luminaire_at(plan, a)}});
    j["unexpected"] = report.unexpected;
    j["groups_programmed"] = report.groups_programmed;
    j["problems"] = report.problems;
    nlohmann::json fs = nlohmann::json::array();
    for (const auto& r : fail_safe)
        if (!r.ok || r.written)
            fs.push_back(
                {{"address", r.address}, {"ok", r.ok}, {"written", r.written}, {"problem", r.problem}});
    j["fail_safe_changes"] = fs;
    return j;
}

void log_commission_report(const std::string& bus_id, const dali::CommissionReport& report) {
    spdlog::info(
        "DALI bus {}: commissioning {}: {} new, {} present, {} configured but absent, {} not in config",
        bus_id, report.ok ? "done" : "finished with problems", report.found.size(), report.present.size(),
        report.absent.size(), report.unexpected.size());
    for (const auto& f : report.found)
        spdlog::info("DALI bus {}: gear with random address {} is now short address {} (device type {})",
                     bus_id, hex24(f.random_address), f.address, f.device_type);
    for (int a : report.absent) spdlog::warn("DALI bus {}: address {} configured but absent", bus_id, a);
    for (int a : report.unexpected) spdlog::warn("DALI bus {}: gear at {} not in config", bus_id, a);
    for (const auto& p : report.problems) spdlog::warn("DALI bus {}: {}", bus_id, p);
}

}  // namespace lykta::luminaires
