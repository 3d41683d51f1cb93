#pragma once
// The configured photocells as the lighting feature runs them: takes their
// readings from the cabinet room's statuses, steps each one (photocell_step)
// at an instant and hands out the verdict per gated area, plus the instant a
// verdict may change without a new reading (confirmation, staleness, window
// bounds) so the feature arms its one timer for it. Loop thread only; the
// time always comes in, so tests run it on virtual time.
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/cabinet/meter_observer.hpp"
#include "gateway/config/model.hpp"
#include "gateway/policy/photocell_gate.hpp"
#include "gateway/policy/place.hpp"

namespace lykta::lighting {

class PhotocellInputs {
public:
    PhotocellInputs(const config::Config& config, const policy::Place& place);

    bool empty() const { return cells_.empty(); }
    // A meter status: keeps the reading of every photocell on that device (an
    // unavailable device or a missing value is no reading). True when any was.
    bool take(const cabinet::MeterValues& values);

    // The wall clock jumped by `delta`: the readings and pending changes are as
    // old as the steady clock says, so their instants move with it (a forward
    // jump must not make a fresh reading stale and flash the astro fallback).
    void shift(SystemTime::duration delta);

    struct Step {
        std::map<std::string, policy::AreaPhotocell> areas;  // by gated area
        bool changed = false;  // some verdict's lit/basis/failure/disagreement differs from the last step
        std::optional<SystemTime> next;  // earliest instant a verdict may change without a new reading
    };
    Step step(SystemTime now);

    // Photocells whose disagreement state the last step changed (the first step reports all).
    struct Disagreement {
        std::string photocell;
        std::vector<std::string> areas;
        bool active = false;
        std::string detail;
    };
    std::vector<Disagreement> take_disagreements();

    // For explain:
    // {"id","device","value","lux","read_at","basis","lit","sensor_failed","disagreement","reason"}.
    nlohmann::json describe(const std::string& area) const;

private:
    struct Cell {
        const config::Photocell* config = nullptr;
        policy::PhotocellSettings settings;
        policy::PhotocellReading reading;
        policy::PhotocellState state;
        std::optional<policy::PhotocellDecision> last;
        std::optional<date::local_days> window_night;
        policy::PhotocellWindow window;
        bool reported = false;  // disagreement state told at least once
        bool reported_disagreement = false;
    };
    std::optional<SystemTime> next_change(const Cell& cell, SystemTime now) const;

    policy::Place place_;
    std::vector<Cell> cells_;
    std::vector<Disagreement> disagreements_;
};

}  // namespace lykta::lighting
