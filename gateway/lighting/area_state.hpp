#pragma once
// P/area/<id>/state (docs/mqtt-api.md): the area's own decision (level, mode),
// tonight's profile, the strongest safety flag in force and the area override,
// with counts from the last sweeps. Pure; "ts" is added by the publisher.
#include <nlohmann/json.hpp>

#include "gateway/policy/arbitration.hpp"

namespace lykta::lighting {

struct AreaFacts {
    int luminaires = 0;
    int failed = 0;           // not answering, or lamp/gear failure
    bool buses_down = false;  // no bus of the area answers: the gear runs on its fail-safe level
};

// {"level","mode":"schedule|safety|override|maintenance|failsafe","profile","safety":{flag}|null,
//  "override":{..}|null,"luminaires","failed"}, plus for an area a photocell gates
//  "photocell":{"id","basis":"sensor|window|astro_fallback","lit","sensor_failed","disagreement","reason"?}
nlohmann::json area_state_payload(const policy::PolicyInputs& inputs, const config::Area& area, SystemTime t,
                                  const AreaFacts& facts);

}  // namespace lykta::lighting
