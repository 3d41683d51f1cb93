#include "gateway/faults/debounce.hpp"

namespace lykta::faults {

// Sweeps are ~60 s (DALI) and polls ~10 s (Modbus), so these are roughly
// minutes for luminaires and tens of seconds for meters.
DebounceRule default_debounce(FaultKind kind) {
    switch (kind) {
        case FaultKind::lamp_failure:
        case FaultKind::gear_failure:
            return {2, 2};
        case FaultKind::no_answer:
            return {3, 1};  // "not answering 3 sweeps"; one answer proves it is back
        case FaultKind::bus_power:
        case FaultKind::interface_down:
            return {2, 2};
        case FaultKind::day_burner:
        case FaultKind::night_outage:
            return {3, 3};
        case FaultKind::energy_anomaly:
            return {5, 5};  // meters lag the gear; be patient
        case FaultKind::meter_offline:
            return {3, 2};
        case FaultKind::door_open:
            return {2, 2};
        case FaultKind::contactor_mismatch:
            return {3, 3};
        case FaultKind::storage_failure:
            return {1, 1};  // not debounced: raised and cleared by the store itself
        case FaultKind::photocell_disagreement:
            return {1, 1};  // the photocell already confirmed it over disagree_s
        case FaultKind::clock_unsynchronised:
            return {10, 2};  // checks a minute apart: ten minutes unsynchronised, not a boot's first minutes
        case FaultKind::clock_jump:
            return {1, 1};  // one instant: raised at the jump, cleared at the next steady check
        case FaultKind::uplink_credentials:
            return {1, 1};  // a file read, not a noisy measurement
    }
    return {};
}

DebounceRule DebounceRules::rule(FaultKind kind) const {
    auto it = overrides_.find(kind);
    return it == overrides_.end() ? default_debounce(kind) : it->second;
}

Transition Debouncer::feed(const Observation& observation) {
    auto rule = rules_.rule(observation.kind);
    auto& count = counts_[{observation.kind, observation.target}];
    if (observation.active) {
        count.inactive = 0;
        ++count.active;
        if (!count.raised && count.active >= rule.raise_after) {
            count.raised = true;
            return Transition::raise;
        }
    } else {
        if (!count.raised) {  // nothing to clear: keep no state for healthy targets
            counts_.erase({observation.kind, observation.target});
            return Transition::none;
        }
        count.active = 0;
        ++count.inactive;
        if (count.raised && count.inactive >= rule.clear_after) {
            count.raised = false;
            return Transition::clear;
        }
    }
    return Transition::none;
}

void Debouncer::seed_raised(FaultKind kind, const std::string& target) {
    auto& count = counts_[{kind, target}];
    count = Count{};
    count.raised = true;
}

bool Debouncer::raised(FaultKind kind, const std::string& target) const {
    auto it = counts_.find({kind, target});
    return it != counts_.end() && it->second.raised;
}

}  // namespace lykta::faults
