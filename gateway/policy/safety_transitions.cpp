#include "gateway/policy/safety_transitions.hpp"

#include <algorithm>
#include <map>

namespace lykta::policy {

TransitionResult safety_transitions(const std::vector<FlagState>& last_announced,
                                    const std::vector<SafetyFlag>& flags, const Place& place, SystemTime now,
                                    std::size_t max_replay) {
    TransitionResult out;
    std::map<std::string, const FlagState*> last;
    for (const auto& s : last_announced) last[s.flag_id] = &s;

    for (const auto& flag : flags) {
        const bool now_in_force = in_force(flag, place, now);
        auto it = last.find(flag.id);
        FlagState state{flag.id, flag.area, now_in_force, now};
        if (it == last.end()) {
            if (now_in_force) {
                state.changed_at = force_window(flag, place, now)->start;
                out.events.push_back({flag.id, flag.area, true, state.changed_at, false});
            }
            out.states.push_back(state);
            continue;
        }
        const FlagState& before = *it->second;
        last.erase(it);
        // Replay every change after the last announced one, up to now.
        std::vector<SafetyTransition> replay;
        bool current = before.in_force;
        SystemTime cursor = before.changed_at;
        if (in_force(flag, place, cursor) != current) {
            // The flag was edited (window moved) since: announce its state now.
            if (now_in_force != current) replay.push_back({flag.id, flag.area, now_in_force, now, false});
            current = now_in_force;
            cursor = now;
        }
        // Bounded: a daily window over a year of downtime is ~730 changes.
        for (int guard = 0; guard < 5000; ++guard) {
            auto next = next_flag_change(flag, place, cursor);
            if (!next || *next > now) break;
            current = in_force(flag, place, *next);
            replay.push_back({flag.id, flag.area, current, *next, false});
            cursor = *next;
        }
        if (replay.size() > max_replay) {
            replay.erase(replay.begin(), replay.end() - static_cast<std::ptrdiff_t>(max_replay));
            // Keep the first kept event consistent with what was announced.
            if (!replay.empty() && replay.front().started == before.in_force) replay.erase(replay.begin());
        }
        state.in_force = current;
        state.changed_at = replay.empty() ? before.changed_at : replay.back().at;
        out.events.insert(out.events.end(), replay.begin(), replay.end());
        out.states.push_back(state);
    }
    // Flags gone since the last announcement.
    for (const auto& [id, state] : last) {
        if (state->in_force) out.events.push_back({id, state->area, false, now, true});
        out.forget.push_back(id);
    }
    return out;
}

}  // namespace lykta::policy
