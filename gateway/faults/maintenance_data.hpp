#pragma once
// What the maintenance page needs in one answer (command faults/report, an
// API extension): the active faults with locations, every luminaire with its
// position and state colour, and per-area lamp availability.
#include <nlohmann/json.hpp>

#include "gateway/config/model.hpp"
#include "gateway/faults/fault_book.hpp"

namespace lykta::faults {

// A luminaire is "dark" while it has an active lamp_failure, gear_failure,
// no_answer or night_outage fault, or its bus has bus_power/interface_down.
bool darkens_luminaire(FaultKind kind);

// {"gateway":{id, name}, "faults":[record...], "luminaires":[{id, area, bus, address, street, lat, lon,
//  located, state: "ok"|"minor"|"major"|"critical", dark}], "areas":[{id, name,
//  luminaires, dark, availability_pct}], "ts"}
nlohmann::json maintenance_data(const FaultBook& book, const config::Config& config);

}  // namespace lykta::faults
