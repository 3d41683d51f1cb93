#pragma once
// A fault with its lifecycle: raised → (acknowledged) → cleared. The id is the
// store's row number ("F-17"), so it stays the same across restarts.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/faults/fault_kind.hpp"

namespace lykta::faults {

struct Fault {
    std::int64_t number = 0;
    FaultKind kind = FaultKind::lamp_failure;
    std::string target;
    std::string area;
    std::string detail;
    Severity severity = Severity::minor;  // effective now (base, escalated under a safety flag)
    SystemTime since{};
    std::optional<SystemTime> cleared_at;
    // Why it cleared when not because the condition went away ("removed from
    // the configuration" for a retired fault); empty for a normal clear.
    std::string cleared_reason;
    std::optional<SystemTime> acknowledged_at;
    std::string acknowledged_by;
    std::string note;

    std::string id() const { return "F-" + std::to_string(number); }
    bool active() const { return !cleared_at; }
    bool acknowledged() const { return acknowledged_at.has_value(); }
};

// "F-17" → 17; nothing for anything else.
std::optional<std::int64_t> parse_fault_id(const std::string& id);

// Most severe first, then oldest first (the P/alarms order).
bool alarm_order(const Fault& a, const Fault& b);

// Exactly the fault object of the API: id, kind, severity, target, area, since,
// acknowledged, detail. `area` is null for targets outside any area (a bus).
nlohmann::json fault_json(const Fault& fault);

// The fault plus its lifecycle and, for luminaires, where to find it (API
// extension for faults/list): cleared, cleared_reason (when retired),
// acknowledged_by/at, note, bus, address, location {street, lat, lon}.
nlohmann::json fault_record_json(const Fault& fault, const config::Config* config);

}  // namespace lykta::faults
