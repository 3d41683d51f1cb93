#include "gateway/faults/fault_book.hpp"

#include <algorithm>
#include <exception>

#include "gateway/core/rfc3339.hpp"
#include "gateway/faults/alarms_payload.hpp"
#include "gateway/faults/time_text.hpp"

namespace lykta::faults {

FaultBook::FaultBook(store::Database& db, const Clock& clock, FaultSettings settings, FaultSink sink)
    : store_(db),
      clock_(clock),
      settings_(std::move(settings)),
      sink_(std::move(sink)),
      debouncer_(settings_.debounce) {
    // A fault active before the restart is the same fault after it: same id,
    // same since; it needs the usual clear confirmations to go away.
    for (auto& fault : store_.active()) {
        debouncer_.seed_raised(fault.kind, fault.target);
        active_[{fault.kind, fault.target}] = std::move(fault);
    }
}

Fault FaultBook::with_current_severity(Fault fault) const {
    fault.severity = effective_severity(fault.kind, !fault.area.empty() && safety_in_force(fault.area));
    return fault;
}

void FaultBook::observe(const Observation& observation) {
    switch (debouncer_.feed(observation)) {
        case Transition::raise:
            raise(observation);
            break;
        case Transition::clear:
            clear(observation);
            break;
        case Transition::none:
            break;
    }
}

void FaultBook::observe(const std::vector<Observation>& observations) {
    Batch batch(*this);
    for (const auto& o : observations) observe(o);
}

FaultBook::Batch::Batch(FaultBook& book) : book_(book), uncaught_(std::uncaught_exceptions()) {
    ++book_.batch_depth_;
}

// The publish may throw (a store write behind the uplink): let it propagate
// like any other publish, except while an exception is already unwinding
// through the batch; then P/alarms stays dirty for the next change.
FaultBook::Batch::~Batch() noexcept(false) {
    if (--book_.batch_depth_ == 0 && book_.alarms_dirty_ && std::uncaught_exceptions() == uncaught_)
        book_.publish_alarms();
}

void FaultBook::alarms_changed() {
    if (batch_depth_ > 0)
        alarms_dirty_ = true;
    else
        publish_alarms();
}

void FaultBook::raise(const Observation& observation) {
    auto key = std::make_pair(observation.kind, observation.target);
    if (active_.count(key)) return;  // restored after restart and still active
    Fault fault;
    fault.kind = observation.kind;
    fault.target = observation.target;
    fault.area = observation.area;
    fault.detail = observation.detail;
    fault.since = observation.time;
    const bool written = write_now("raise", fault, [&] { fault.number = store_.insert(fault); });
    if (!written) fault.number = provisional_number();
    fault = with_current_severity(std::move(fault));
    active_[key] = fault;
    if (written) {
        emit("fault.raised", fault);
        if (sink_.raised) sink_.raised(fault);
    } else {
        hold(HeldWrite::Op::raise, fault, event_json("fault.raised", fault, nlohmann::json::object()));
    }
    alarms_changed();
}

void FaultBook::clear(const Observation& observation, const std::string& reason) {
    auto it = active_.find({observation.kind, observation.target});
    if (it == active_.end()) return;
    auto fault = with_current_severity(it->second);
    fault.cleared_at = observation.time;
    fault.cleared_reason = reason;
    active_.erase(it);
    nlohmann::json extra{{"cleared", rfc3339_utc(observation.time)}};
    if (!reason.empty()) extra["reason"] = reason;
    if (write_now("clear", fault, [&] { store_.set_cleared(fault.number, observation.time, reason); })) {
        emit("fault.cleared", fault, std::move(extra));
        // A retired fault was not repaired: mean time to repair must not count it.
        if (sink_.cleared && reason.empty()) sink_.cleared(fault);
    } else {
        hold(HeldWrite::Op::clear, fault, event_json("fault.cleared", fault, std::move(extra)));
    }
    alarms_changed();
}

void FaultBook::retire(const std::string& target, SystemTime t) {
    retire_if([&](const Fault& f) { return f.target == target; }, t);
}

int FaultBook::retire_if(const std::function<bool(const Fault&)>& gone, SystemTime t, const char* reason) {
    Batch batch(*this);
    std::vector<Observation> retiring;
    for (const auto& [key, fault] : active_)
        if (gone(fault)) retiring.push_back({t, fault.kind, fault.target, fault.area, false, ""});
    for (const auto& o : retiring) {
        debouncer_.forget(o.kind, o.target);
        clear(o, reason);
    }
    return static_cast<int>(retiring.size());
}

void FaultBook::set_safety(const std::string& area, bool in_force) {
    bool was = safety_in_force(area);
    if (was == in_force) return;
    if (in_force)
        flagged_.insert(area);
    else
        flagged_.erase(area);
    bool any = std::any_of(active_.begin(), active_.end(),
                           [&](const auto& entry) { return entry.second.area == area; });
    if (any) alarms_changed();
}

AckResult FaultBook::acknowledge(const std::string& id, const std::string& by, const std::string& note) {
    auto number = parse_fault_id(id);
    if (!number) return {};
    for (auto& [key, fault] : active_) {
        if (fault.number != *number) continue;
        if (fault.acknowledged()) return {AckStatus::already, with_current_severity(fault)};
        fault.acknowledged_at = clock_.now();
        fault.acknowledged_by = by;
        fault.note = note;
        auto current = with_current_severity(fault);
        nlohmann::json extra{{"by", by}, {"note", note}};
        if (write_now("acknowledge", fault,
                      [&] { store_.set_acknowledged(fault.number, *fault.acknowledged_at, by, note); }))
            emit("fault.acknowledged", current, std::move(extra));
        else
            hold(HeldWrite::Op::acknowledge, current,
                 event_json("fault.acknowledged", current, std::move(extra)));
        alarms_changed();
        return {AckStatus::done, current};
    }
    auto stored = store_.find(*number);
    if (!stored) return {};
    return {AckStatus::cleared, with_current_severity(*stored)};
}

std::vector<Fault> FaultBook::active(const std::string& area) const {
    std::vector<Fault> out;
    for (const auto& [key, fault] : active_)
        if (area.empty() || fault.area == area) out.push_back(with_current_severity(fault));
    std::sort(out.begin(), out.end(), alarm_order);
    return out;
}

std::vector<Fault> FaultBook::history(const std::string& area, std::size_t limit) {
    auto rows = store_.history(area, limit);
    for (auto& f : rows) f = with_current_severity(std::move(f));
    return rows;
}

nlohmann::json FaultBook::alarms_payload() const {
    return faults::alarms_payload(active(), rfc3339_utc(clock_.now()), settings_.alarms_max_bytes);
}

void FaultBook::publish_alarms() {
    alarms_dirty_ = false;
    if (sink_.alarms) sink_.alarms(alarms_payload());
}

int FaultBook::prune() {
    return store_.prune(clock_.now() - settings_.history);
}

void FaultBook::emit(const char* type, const Fault& fault, nlohmann::json extra) {
    if (sink_.event) sink_.event(event_json(type, fault, std::move(extra)));
}

nlohmann::json FaultBook::event_json(const char* type, const Fault& fault, nlohmann::json extra) const {
    nlohmann::json event{{"type", type}, {"ts", rfc3339_utc(clock_.now())}, {"fault", fault_json(fault)}};
    for (auto& [k, v] : extra.items()) event[k] = v;
    return event;
}

}  // namespace lykta::faults
