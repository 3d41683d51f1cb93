#pragma once
// The loop-facing fault book: the faults feature feeds it observations (from the
// detectors) and safety-flag changes; it debounces, keeps the lifecycle in
// SQLite and tells the sink what to publish. Owned by the event loop thread.
//
//   FaultBook book(db, clock, settings, sink);   // restores active faults
//   book.publish_alarms();                       // once the uplink is up
//   book.observe(observe_gear(now, status, target, settings.detection));
//   book.set_safety("torget", true);             // on safety.started/ended
//   book.prune();                                // daily
//   book.retry_held();                           // once the store takes writes again
//
// A write the store refuses (disk full, read-only medium) loses nothing: the
// change still happens in memory (P/alarms shows it at once) and the write is
// held with its event; retry_held() writes them in order and only then sends
// the events. See "When the store fails" in docs/faults.md.
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/core/clock.hpp"
#include "gateway/faults/debounce.hpp"
#include "gateway/faults/detectors.hpp"
#include "gateway/faults/fault.hpp"
#include "gateway/faults/fault_store.hpp"

namespace lykta::faults {

struct FaultSettings {
    DetectionSettings detection;
    DebounceRules debounce;
    std::chrono::hours history{24 * 731};  // keep cleared faults two years
    std::size_t alarms_max_bytes = 0;      // P/alarms payload cap (mqtt.max_payload); 0 = none
};

// Where the book's output goes; any member may be empty.
struct FaultSink {
    std::function<void(nlohmann::json)> alarms;  // retained P/alarms payload
    std::function<void(nlohmann::json)> event;   // P/event (fault.raised|cleared|acknowledged)
    std::function<void(const Fault&)> raised;    // for statistics
    std::function<void(const Fault&)> cleared;
};

enum class AckStatus { done, already, unknown, cleared };

struct AckResult {
    AckStatus status = AckStatus::unknown;
    Fault fault;  // valid unless unknown
};

class FaultBook {
public:
    FaultBook(store::Database& db, const Clock& clock, FaultSettings settings, FaultSink sink);

    void observe(const Observation& observation);
    // One P/alarms for the whole set (a sweep of 64 gear going dark at once
    // is one republish, not 64).
    void observe(const std::vector<Observation>& observations);

    // While a Batch lives, changes mark P/alarms dirty; the outermost one
    // publishes once when it ends. Events are still emitted one by one.
    class Batch {
    public:
        explicit Batch(FaultBook& book);
        ~Batch() noexcept(false);
        Batch(const Batch&) = delete;
        Batch& operator=(const Batch&) = delete;

    private:
        FaultBook& book_;
        int uncaught_;
    };
    // A safety flag starts or ends in `area`: severities there are re-evaluated
    // and P/alarms republished when any changed.
    void set_safety(const std::string& area, bool in_force);
    bool safety_in_force(const std::string& area) const { return flagged_.count(area) > 0; }

    // The target left the configuration: its active faults clear at t (with
    // events), and its debounce state is dropped.
    void retire(const std::string& target, SystemTime t);
    // Retires every active fault `gone` says no longer belongs to the
    // configuration: cleared at t with `cleared_reason` = retired_reason, a
    // fault.cleared event carrying the reason, out of P/alarms, kept in the
    // history. Not a repair: the statistics sink is not told. Returns how many.
    // `reason` says why in the history and the event (retired_reason or moved_reason).
    int retire_if(const std::function<bool(const Fault&)>& gone, SystemTime t,
                  const char* reason = retired_reason);
    static constexpr const char* retired_reason = "removed from the configuration";
    // The target now belongs to another area: the fault is closed where it was
    // raised, and the detectors raise it again in the new area while the
    // condition holds, so each area's statistics count only its own faults.
    static constexpr const char* moved_reason = "moved to another area";

    AckResult acknowledge(const std::string& id, const std::string& by, const std::string& note);

    // Active faults in P/alarms order; `area` empty = all.
    std::vector<Fault> active(const std::string& area = {}) const;
    // Active and cleared faults, newest first, bounded by `limit`.
    std::vector<Fault> history(const std::string& area, std::size_t limit);

    nlohmann::json alarms_payload() const;
    void publish_alarms();
    // Drops cleared faults older than the retention; returns how many.
    int prune();

    // Writes held back because the store failed, oldest first, each followed
    // by its event (and the statistics sink); stops at the first write that
    // fails again. Returns how many are still held.
    std::size_t retry_held();
    std::size_t held() const { return held_.size(); }

    const FaultSettings& settings() const { return settings_; }
    const Clock& clock() const { return clock_; }

private:
    void raise(const Observation& observation);
    void clear(const Observation& observation, const std::string& reason = {});
    Fault with_current_severity(Fault fault) const;
    void alarms_changed();  // publish now, or at the end of the current batch
    void emit(const char* type, const Fault& fault, nlohmann::json extra = nlohmann::json::object());
    nlohmann::json event_json(const char* type, const Fault& fault, nlohmann::json extra) const;

    // A store write the book could not make yet, with the event that follows
    // it (built when it happened, so its ts is that moment).
    struct HeldWrite {
        enum class Op { raise, clear, acknowledge } op;
        Fault fault;  // as it was then; a held raise carries a provisional number
        nlohmann::json event;
    };
    // Runs `write` unless writes are already held (order matters: a clear must
    // not reach the store before its raise). False when the caller must hold it.
    bool write_now(const char* what, const Fault& fault, const std::function<void()>& write);
    void hold(HeldWrite::Op op, const Fault& fault, nlohmann::json event);
    std::int64_t provisional_number();
    void send_held(HeldWrite& held, const Fault& stored);

    std::deque<HeldWrite> held_;
    std::map<std::int64_t, std::int64_t> renumbered_;  // provisional number → stored number
    std::int64_t last_provisional_ = 0;                // 0: none handed out since the last retry

    FaultStore store_;
    const Clock& clock_;
    FaultSettings settings_;
    FaultSink sink_;
    Debouncer debouncer_;
    std::map<std::pair<FaultKind, std::string>, Fault> active_;  // by (kind, target)
    std::set<std::string> flagged_;
    int batch_depth_ = 0;
    bool alarms_dirty_ = false;
};

}  // namespace lykta::faults
