#pragma once
// Arbitration: the level every luminaire should have at an instant (one
// resolver, below), and the next instant at which any of them may change (so the daemon arms one timer
// instead of polling). Pure: everything arrives in PolicyInputs, time is a parameter.
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/config/model.hpp"
#include "gateway/policy/decision.hpp"
#include "gateway/policy/manual_control.hpp"
#include "gateway/policy/night_cache.hpp"
#include "gateway/policy/photocell_gate.hpp"
#include "gateway/policy/place.hpp"
#include "gateway/policy/safety_flag.hpp"

namespace lykta::policy {

struct PolicyInputs {
    const config::Config* config = nullptr;  // areas, luminaires, schedule, site; must outlive the inputs
    Place place;
    std::vector<SafetyFlag> flags;  // from config and MQTT
    std::vector<Override> overrides;
    std::vector<Maintenance> maintenance;
    // By area: the photocell verdict gating its schedule (photocell_gate.hpp).
    std::map<std::string, AreaPhotocell> photocells;
    // Resolved nights, shared by copies of these inputs; entries validate
    // themselves against the profile, so a changed schedule is safe.
    std::shared_ptr<NightCache> nights = std::make_shared<NightCache>();

    // Place from config.site, flags from config.safety_flags. Throws on an
    // unknown zone or a flag time that does not parse.
    static PolicyInputs from_config(const config::Config& config);
};

// Arbitration in one place: resolve() puts the operator's layers (maintenance >
// override, a luminaire's before its area's) on top of an area's automatic
// layers (safety > calendar > default profile, photocell gating on the
// schedule). Callers compute the area layers once per area and the manual index
// once per evaluation, then resolve each luminaire; everything below is a short
// loop over it.

// The automatic layers of one area at t. With `texts` false no detail text is
// built (levels only: the statistics' normal levels, the year benchmark).
struct AreaLayers {
    const config::Area* area = nullptr;
    bool texts = true;
    double level = 0;
    double fade_s = 0;
    Reason reason;
    std::vector<Layer> stack;  // safety, calendar, default: what a trace records
};
AreaLayers area_layers(const PolicyInputs& inputs, const config::Area& area, SystemTime t, bool texts = true);

// The newest maintenance and override in force at t per target id (luminaire
// and area scopes apart). Points into the inputs: valid while they are.
struct ManualIndex {
    std::unordered_map<std::string, const Maintenance*> maintenance_luminaire, maintenance_area;
    std::unordered_map<std::string, const Override*> override_luminaire, override_area;
};
ManualIndex manual_index(const PolicyInputs& inputs, SystemTime t);

// The layers a decision was made from, highest first (maintenance, override,
// safety, calendar, default), for `explain`; everyone else passes none.
struct Trace {
    std::vector<Layer> stack;
};

// The decision for `luminaire` (nullptr: the area itself, area-scope manual
// layers only) from its area's layers (nullptr: the luminaire names an unknown
// area, which is dark). Decision::stack stays empty; `trace` gets the layers.
Decision resolve(const PolicyInputs& inputs, const AreaLayers* area, const ManualIndex& manual,
                 const config::Luminaire* luminaire, Trace* trace = nullptr);

// explain: one luminaire or one area, with the stack of layers.
Decision decide_area(const PolicyInputs& inputs, const config::Area& area, SystemTime t);
Decision decide(const PolicyInputs& inputs, const config::Luminaire& luminaire, SystemTime t);
// One decision per configured luminaire (config order), without stacks: the
// daemon keeps these for 1,024 luminaires and only `explain` reads a stack.
std::vector<Decision> decide_all(const PolicyInputs& inputs, SystemTime t);
// The decisions of some luminaires, by index into config.luminaires (out of
// range ones are skipped), in the order given; only their areas are computed.
// What a command that names a luminaire or an area needs before its frames.
std::vector<Decision> decide_some(const PolicyInputs& inputs, const std::vector<std::size_t>& indices,
                                  SystemTime t);
// Only the levels, one per configured luminaire (config order), without texts:
// the normal levels the statistics compare with, the year benchmark.
std::vector<double> levels_all(const PolicyInputs& inputs, SystemTime t);

// Earliest instant after t at which any decision may change: a profile step
// (of the running or the safety profile), a night boundary (noon), a flag
// starting or ending, an override or maintenance expiring. Never none in
// practice (a night always ends), but the type allows an empty config.
std::optional<SystemTime> next_transition(const PolicyInputs& inputs, SystemTime t);

}  // namespace lykta::policy
