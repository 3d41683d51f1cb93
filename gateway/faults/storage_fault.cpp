#include "gateway/faults/storage_fault.hpp"

#include <spdlog/spdlog.h>

#include "gateway/core/rfc3339.hpp"
#include "gateway/faults/time_text.hpp"

namespace lykta::faults {

StorageFault::StorageFault(Timers& timers, store::Database& db, Uplink& uplink, const Clock& clock,
                           std::function<void()> alarms_changed)
    : db_(db),
      uplink_(uplink),
      clock_(clock),
      alarms_changed_(std::move(alarms_changed)),
      rows_(db),
      timers_(timers) {}

void StorageFault::report(const std::string& what) {
    ++reported_;
    // Called from inside the failing statement: whatever the caller was doing
    // with the store is still half done, so the real work runs later. Only the
    // first report until then counts: failed() does nothing while the fault is active.
    if (!deferred_.pending())
        deferred_ = timers_.after(Timers::Duration::zero(), [this, what] { failed(what); });
}

void StorageFault::failed(const std::string& what) {
    if (fault_) return;
    Fault fault;
    try {
        fault.number = rows_.next_number();  // a read: the id it will most likely be stored under
    } catch (const store::StoreError&) {
        fault.number = 0;
    }
    fault.kind = FaultKind::storage_failure;
    fault.target = "store";
    fault.detail = what;
    fault.severity = base_severity(fault.kind);
    fault.since = clock_.now();
    fault_ = fault;
    spdlog::error("faults: {} storage_failure raised: {}; running degraded, retrying every {} s", fault.id(),
                  what, probe_period.count());
    alarms_changed_();
    const auto before = reported_;
    uplink_.publish_event(event("fault.raised", fault));
    raised_sent_ = reported_ == before;  // the outbox write did not fail
    arm();
}

void StorageFault::arm() {
    timer_ = timers_.after(probe_period, [this] {
        if (!probe()) arm();
    });
}

bool StorageFault::probe() {
    if (!fault_) return true;
    auto fault = *fault_;
    const auto now = clock_.now();
    try {
        db_.put("store.probe", lykta::rfc3339_utc(now));
        // Raised and cleared in one transaction: a stored storage_failure is
        // never left active, as nothing but this class would ever clear it.
        db_.transaction([&] {
            fault.number = rows_.insert(fault);
            rows_.set_cleared(fault.number, now);
        });
    } catch (const store::StoreError& e) {
        spdlog::debug("faults: store still failing: {}", e.what());
        return false;
    }
    if (fault.number != fault_->number)
        spdlog::warn("faults: storage_failure shown as {} was stored as {}", fault_->id(), fault.id());
    fault.cleared_at = now;
    fault_.reset();
    spdlog::info("faults: store writable again; {} storage_failure cleared", fault.id());
    if (!raised_sent_) uplink_.publish_event(event("fault.raised", fault));
    auto cleared = event("fault.cleared", fault);
    cleared["cleared"] = lykta::rfc3339_utc(now);
    uplink_.publish_event(std::move(cleared));
    alarms_changed_();
    return true;
}

nlohmann::json StorageFault::event(const char* type, const Fault& fault) const {
    const auto ts = std::string(type) == "fault.raised" ? fault.since : clock_.now();
    return {{"type", type}, {"ts", lykta::rfc3339_utc(ts)}, {"fault", fault_json(fault)}};
}

}  // namespace lykta::faults
