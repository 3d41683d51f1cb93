#pragma once
// What the lighting feature tells the rooms that account for it (faults,
// statistics): every luminaire's target after each evaluation, and safety
// flags starting or ending per area, photocells disagreeing with the sun. Called on the loop thread.
#include <string>
#include <vector>

#include "gateway/core/clock.hpp"

namespace lykta::lighting {

struct LuminaireTarget {
    std::string luminaire;
    std::string area;
    double target = 0;        // percent the policy wants now
    double normal_level = 0;  // what the schedule alone would give (no safety flag): extra-energy accounting
    double fade_s = 0;
    std::string source;  // maintenance | override | safety | schedule | default
};

class LightingObserver {
public:
    virtual ~LightingObserver() = default;
    // All luminaires, after every evaluation that changed at least one target (and once at start).
    virtual void on_targets(SystemTime at, const std::vector<LuminaireTarget>& targets) = 0;
    // An area's safety flag came into force or ended (also once per area at start).
    virtual void on_safety(SystemTime at, const std::string& area, bool in_force) = 0;
    // A photocell's gross disagreement with the sun started (active) or ended;
    // also once per photocell at start. `detail` says what it read.
    virtual void on_photocell(SystemTime at, const std::string& photocell,
                              const std::vector<std::string>& areas, bool disagreement,
                              const std::string& detail) {
        (void)at, (void)photocell, (void)areas, (void)disagreement, (void)detail;
    }
};

}  // namespace lykta::lighting
