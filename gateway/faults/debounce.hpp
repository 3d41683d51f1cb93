#pragma once
// Debounce per (kind, target): a fault is raised after `raise_after`
// consecutive active observations and cleared after `clear_after` consecutive
// inactive ones, so a flapping condition (active, inactive, active, ...) never
// raises. Counters live in memory; after a restart the book seeds the raised
// faults so they still need `clear_after` confirmations to clear.
#include <map>
#include <string>
#include <utility>

#include "gateway/faults/fault_kind.hpp"
#include "gateway/faults/observation.hpp"

namespace lykta::faults {

struct DebounceRule {
    int raise_after = 2;
    int clear_after = 2;
};

// Defaults per kind (docs/faults.md); a config may override any of them.
DebounceRule default_debounce(FaultKind kind);

class DebounceRules {
public:
    DebounceRule rule(FaultKind kind) const;
    void set(FaultKind kind, DebounceRule rule) { overrides_[kind] = rule; }

private:
    std::map<FaultKind, DebounceRule> overrides_;
};

enum class Transition { none, raise, clear };

class Debouncer {
public:
    explicit Debouncer(DebounceRules rules = {}) : rules_(std::move(rules)) {}
    Transition feed(const Observation& observation);
    // Marks (kind, target) as raised without counting (restored after restart).
    void seed_raised(FaultKind kind, const std::string& target);
    bool raised(FaultKind kind, const std::string& target) const;
    void forget(FaultKind kind, const std::string& target) { counts_.erase({kind, target}); }

private:
    struct Count {
        int active = 0;
        int inactive = 0;
        bool raised = false;
    };
    DebounceRules rules_;
    std::map<std::pair<FaultKind, std::string>, Count> counts_;
};

}  // namespace lykta::faults
