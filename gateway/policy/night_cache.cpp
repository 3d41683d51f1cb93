#include "gateway/policy/night_cache.hpp"

namespace lykta::policy {
namespace {

bool same_steps(const config::Profile& a, const config::Profile& b) {
    if (a.floor != b.floor || a.steps.size() != b.steps.size()) return false;
    for (std::size_t i = 0; i < a.steps.size(); ++i)
        if (!(a.steps[i].at == b.steps[i].at) || a.steps[i].level != b.steps[i].level ||
            a.steps[i].fade_s != b.steps[i].fade_s)
            return false;
    return true;
}

bool same_place(const Place& a, const Place& b) {
    return a.latitude == b.latitude && a.longitude == b.longitude && a.zone == b.zone;
}

// A year of nights for a few dozen profiles; beyond that start afresh.
constexpr std::size_t max_entries = 8192;

}  // namespace

const Night& NightCache::get(const config::Profile& profile, const Place& place, date::local_days night) {
    const auto key = std::make_pair(&profile, night);
    auto it = entries_.find(key);
    if (it != entries_.end() && same_place(it->second.place, place) &&
        same_steps(it->second.profile, profile))
        return it->second.night;
    if (entries_.size() >= max_entries) entries_.clear();
    Entry entry{profile, place, resolve_night(profile, place, night)};
    return entries_.insert_or_assign(key, std::move(entry)).first->second.night;
}

NightLevel level_at(const config::Profile& profile, const Place& place, SystemTime t, NightCache* cache) {
    if (!cache) return level_at(profile, place, t);
    const auto date = place.night_of(t);
    const Night& night = cache->get(profile, place, date);
    const Night& previous = cache->get(profile, place, date - date::days{1});
    return level_in_night(night, &previous, t);
}

}  // namespace lykta::policy
