#pragma once
// JSON shapes of decisions, explanations and plans (used by the explain and
// plan commands). Instants are RFC 3339 with the site's local offset, as the
// MQTT API writes timestamps ("2025-11-29T00:30:00+01:00"); null when absent.
#include <nlohmann/json.hpp>

#include "gateway/policy/decision.hpp"
#include "gateway/policy/plan.hpp"

namespace lykta::policy {

std::string rfc3339_local(SystemTime t, const Place& place);

// {"luminaire","area","level","fade_s","reason":{"source","id","detail","until"},"stack":[...]}
nlohmann::json to_json(const Decision& decision, const Place& place);
// {"source","id","detail","until"}: the "reason" member above, without building the stack.
nlohmann::json to_json(const Reason& reason, const Place& place);
nlohmann::json to_json(const AreaPlan& plan, const Place& place);

}  // namespace lykta::policy
