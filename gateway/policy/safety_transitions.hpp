#pragma once
// safety.started / safety.ended at the real transitions, also across
// restarts: the last announced state of every flag is persisted
// (policy_store.hpp); on start and at every transition the daemon asks this
// function what to emit, then records the new states.
#include <optional>
#include <string>
#include <vector>

#include "gateway/policy/place.hpp"
#include "gateway/policy/safety_flag.hpp"

namespace lykta::policy {

struct FlagState {
    std::string flag_id;
    std::string area;
    bool in_force = false;
    SystemTime changed_at{};  // instant of the transition last announced
};

struct SafetyTransition {
    std::string flag_id;
    std::string area;
    bool started = false;       // false: ended
    SystemTime at{};            // when it really happened (may be before now after downtime)
    bool flag_removed = false;  // ended because the flag was cleared or deleted
};

struct TransitionResult {
    std::vector<SafetyTransition> events;  // in time order per flag
    std::vector<FlagState> states;         // the state to persist for every flag now known
    std::vector<std::string> forget;       // state records of flags that no longer exist
};

// Emits what happened between each flag's last announced state and `now`:
// nothing when the state is unchanged, the windows missed while the daemon was
// down (at most `max_replay` per flag, the newest kept), and an `ended` for a
// flag that disappeared while in force. A flag never announced before only
// reports its current state (started, when in force).
TransitionResult safety_transitions(const std::vector<FlagState>& last_announced,
                                    const std::vector<SafetyFlag>& flags, const Place& place, SystemTime now,
                                    std::size_t max_replay = 16);

}  // namespace lykta::policy
