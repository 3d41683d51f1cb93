#pragma once
// Memoised resolve_night: a night is resolved once per profile and date
// instead of at every evaluation (the solar equations and tz lookups dominate
// the cost of a decision). Entries are checked against the profile's content
// and the place, so a replaced schedule or config never reads a stale night.
// Not thread-safe by design: it belongs to the event loop, like the policy state.
#include <map>
#include <memory>
#include <utility>

#include "gateway/policy/night.hpp"

namespace lykta::policy {

class NightCache {
public:
    const Night& get(const config::Profile& profile, const Place& place, date::local_days night);
    std::size_t size() const { return entries_.size(); }
    void clear() { entries_.clear(); }

private:
    struct Entry {
        config::Profile profile;  // the content the night was resolved from
        Place place;
        Night night;
    };
    std::map<std::pair<const config::Profile*, date::local_days>, Entry> entries_;
};

// The level of `profile` at t with nights from `cache` (null: resolved afresh).
NightLevel level_at(const config::Profile& profile, const Place& place, SystemTime t, NightCache* cache);

}  // namespace lykta::policy
