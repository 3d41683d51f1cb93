#pragma once
// What the policy keeps across restarts, in the shared SQLite store
// (component "policy"): overrides with their expiry, safety flags that came
// over MQTT, schedule revisions, and the last announced state of every flag.
// Owned by the event loop thread, like the Database.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gateway/policy/manual_control.hpp"
#include "gateway/policy/safety_flag.hpp"
#include "gateway/policy/safety_transitions.hpp"
#include "gateway/store/database.hpp"

namespace lykta::policy {

struct ScheduleRevision {
    std::int64_t revision = 0;
    std::string text;  // the document as received (YAML or JSON)
    SystemTime created{};
};

// schedule/set with an expected revision that is not the current one.
class RevisionConflict : public std::runtime_error {
public:
    RevisionConflict(std::int64_t expected, std::int64_t current);
    std::int64_t expected;
    std::int64_t current;
};

class PolicyStore {
public:
    explicit PolicyStore(store::Database& db);  // migrates the "policy" tables

    void put_override(const Override& o);  // insert or replace by id
    bool remove_override(const std::string& id);
    void remove_overrides(const std::vector<std::string>& ids);  // all or none
    std::vector<Override> overrides();
    // Deletes and returns the overrides whose expiry is at or before `now`
    // (also those that expired while the daemon was down: override.expired).
    std::vector<Override> take_expired_overrides(SystemTime now);

    void put_flag(const SafetyFlag& flag);  // MQTT flags; insert or replace by id
    bool remove_flag(const std::string& id);
    std::vector<SafetyFlag> flags();

    // Stores a new revision (current + 1) atomically; with `expected`, only if
    // the current revision equals it, else throws RevisionConflict.
    std::int64_t save_schedule(const std::string& text, SystemTime now,
                               std::optional<std::int64_t> expected = std::nullopt);
    std::int64_t schedule_revision();  // 0 before the first
    std::optional<ScheduleRevision> latest_schedule();

    // By flag id. Read from the table once, then kept in memory in step with it
    // (record() is the only writer): every evaluation asks, and a SELECT per
    // command sat before its frames.
    const std::vector<FlagState>& flag_states();
    // Applies a safety_transitions() result: new states in, forgotten ones out,
    // atomically; the memory copy follows only once the transaction committed.
    void record(const TransitionResult& result);

private:
    store::Database& db_;
    std::optional<std::vector<FlagState>> flag_states_;
};

}  // namespace lykta::policy
