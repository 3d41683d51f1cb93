#pragma once
// Remembers when each luminaire's policy target last changed, so the gear
// detector can give fades their grace period. Fed by the faults feature with every
// target the policy computes (same value again = no change).
#include <map>
#include <optional>
#include <string>

#include "gateway/faults/detectors.hpp"

namespace lykta::faults {

class TargetTracker {
public:
    TargetState update(const std::string& luminaire, double target, SystemTime now) {
        auto it = targets_.find(luminaire);
        if (it == targets_.end() || it->second.target != target)
            it = targets_.insert_or_assign(luminaire, TargetState{target, now}).first;
        return it->second;
    }
    std::optional<TargetState> get(const std::string& luminaire) const {
        auto it = targets_.find(luminaire);
        if (it == targets_.end()) return std::nullopt;
        return it->second;
    }
    void forget(const std::string& luminaire) { targets_.erase(luminaire); }

private:
    std::map<std::string, TargetState> targets_;
};

}  // namespace lykta::faults
