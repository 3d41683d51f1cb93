#pragma once
// The `dali/commission` answer and log lines, in luminaire ids where the config has them.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "drivers/dali/bus.hpp"
#include "gateway/luminaires/bus_plan.hpp"

namespace lykta::luminaires {

nlohmann::json commission_report_json(const std::string& bus_id, const BusPlan& plan,
                                      const dali::CommissionReport& report,
                                      const std::vector<dali::FailSafeResult>& fail_safe);
void log_commission_report(const std::string& bus_id, const dali::CommissionReport& report);

}  // namespace lykta::luminaires
