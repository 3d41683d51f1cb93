#pragma once
// P/luminaire/<id>/state payloads (docs/mqtt-api.md) from what the bus read back.
// `target` and `reason` are null here; LuminairesFeature merges in what the lighting policy set.
#include <nlohmann/json.hpp>
#include <string>

#include "drivers/dali/bus.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"

namespace lykta::luminaires {

// Without "ts", so two payloads compare equal when nothing changed. D4i values, when
// the gear has them, extend the contract compatibly: energy_wh, power_w, operating_h, starts.
nlohmann::json state_payload(const config::Luminaire& luminaire, const dali::GearStatus& status,
                             const dali::EnergyReading* energy = nullptr);

}  // namespace lykta::luminaires
