#pragma once
// JSON shapes of decisions, explanations and plans (used by the explain and
// plan commands). Instants appear twice: "utc" (RFC 3339, Z) and "local"
// ("YYYY-MM-DD HH:MM" in the site zone).
#include <nlohmann/json.hpp>

#include "gateway/policy/decision.hpp"
#include "gateway/policy/plan.hpp"

namespace lykta::policy {

std::string rfc3339_utc(SystemTime t);

// {"luminaire","area","level","fade_s","reason":{"source","id","detail","until"},"stack":[...]}
nlohmann::json to_json(const Decision& decision, const Place& place);
nlohmann::json to_json(const AreaPlan& plan, const Place& place);

}  // namespace lykta::policy
