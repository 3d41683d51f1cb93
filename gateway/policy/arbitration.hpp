#pragma once
// Arbitration: the level every luminaire should have at an instant, and the
// next instant at which any of them may change (so the daemon arms one timer
// instead of polling). Pure: everything arrives in PolicyInputs, time is a parameter.
#include <map>
#include <optional>
#include <string>
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

// The area's own decision: maintenance/override layers of area scope only.
Decision decide_area(const PolicyInputs& inputs, const config::Area& area, SystemTime t);
Decision decide(const PolicyInputs& inputs, const config::Luminaire& luminaire, SystemTime t);
// One decision per configured luminaire (config order); each area evaluated once.
// Level, fade and reason as decide() gives them, but an empty `stack`: the daemon
// keeps these for 1,024 luminaires and nothing but `explain` (decide()) reads a stack.
std::vector<Decision> decide_all(const PolicyInputs& inputs, SystemTime t);
// The decisions of some luminaires, by index into config.luminaires (out of
// range ones are skipped), in the order given; each of their areas evaluated
// once. Equal to decide_all(inputs, t)[i] for every i: what a command that
// names a luminaire or an area needs before its frames, without the other
// thousand (tests/unit/policy/test_decide_some.cpp holds the two together).
std::vector<Decision> decide_some(const PolicyInputs& inputs, const std::vector<std::size_t>& indices,
                                  SystemTime t);

// Earliest instant after t at which any decision may change: a profile step
// (of the running or the safety profile), a night boundary (noon), a flag
// starting or ending, an override or maintenance expiring. Never none in
// practice (a night always ends), but the type allows an empty config.
std::optional<SystemTime> next_transition(const PolicyInputs& inputs, SystemTime t);

}  // namespace lykta::policy
