// FaultBook's held writes (fault_book.hpp, docs/faults.md "When the store
// fails"): a raise, clear or acknowledge the store refused waits here, in
// order, with its event, until retry_held() can write it.
#include "gateway/faults/fault_book.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lykta::faults {

bool FaultBook::write_now(const char* what, const Fault& fault, const std::function<void()>& write) {
    if (!held_.empty()) return false;
    try {
        write();
        return true;
    } catch (const store::StoreError& e) {
        // The store's failure listener raises storage_failure; this change
        // waits in memory for retry_held().
        spdlog::warn("faults: cannot store the {} of {} on {}: {}; held until the store takes writes", what,
                     to_string(fault.kind), fault.target, e.what());
        return false;
    }
}

void FaultBook::hold(HeldWrite::Op op, const Fault& fault, nlohmann::json event) {
    held_.push_back({op, fault, std::move(event)});
}

// The id shown while the raise is held. storage_failure shows the store's next
// number as its own and is written first when the store recovers, so held
// faults count on from the number after it; retry_held() renumbers (and logs)
// when the store hands out a different one.
std::int64_t FaultBook::provisional_number() {
    if (last_provisional_ == 0) {
        std::int64_t next = 1;
        try {
            next = store_.next_number();  // a read: works on a full disk
        } catch (const store::StoreError&) {
        }
        for (const auto& [key, fault] : active_) next = std::max(next, fault.number + 1);
        last_provisional_ = next;
    }
    return ++last_provisional_;
}

std::size_t FaultBook::retry_held() {
    if (held_.empty()) return 0;
    Batch batch(*this);
    while (!held_.empty()) {
        auto& held = held_.front();
        auto fault = held.fault;
        if (auto known = renumbered_.find(fault.number); known != renumbered_.end())
            fault.number = known->second;
        try {
            switch (held.op) {
                case HeldWrite::Op::raise:
                    fault.number = store_.insert(fault);
                    break;
                case HeldWrite::Op::clear:
                    store_.set_cleared(fault.number, *fault.cleared_at, fault.cleared_reason);
                    break;
                case HeldWrite::Op::acknowledge:
                    store_.set_acknowledged(fault.number, *fault.acknowledged_at, fault.acknowledged_by,
                                            fault.note);
                    break;
            }
        } catch (const store::StoreError& e) {
            spdlog::debug("faults: store still refuses held writes ({} left): {}", held_.size(), e.what());
            return held_.size();
        }
        // Out of the queue before anything is sent: a throwing sink must not
        // get the write made twice.
        auto written = std::move(held);
        held_.pop_front();
        send_held(written, fault);
    }
    renumbered_.clear();
    last_provisional_ = 0;
    spdlog::info("faults: held fault changes stored and sent");
    return 0;
}

void FaultBook::send_held(HeldWrite& held, const Fault& stored) {
    if (held.op == HeldWrite::Op::raise && stored.number != held.fault.number) {
        spdlog::warn("faults: {} on {} was shown as {} and is stored as {}", to_string(stored.kind),
                     stored.target, held.fault.id(), stored.id());
        renumbered_[held.fault.number] = stored.number;
        auto active = active_.find({stored.kind, stored.target});
        if (active != active_.end() && active->second.number == held.fault.number) {
            active->second.number = stored.number;
            alarms_changed();
        }
    }
    held.event["fault"]["id"] = stored.id();
    if (sink_.event) sink_.event(std::move(held.event));
    if (held.op == HeldWrite::Op::raise && sink_.raised) sink_.raised(stored);
    if (held.op == HeldWrite::Op::clear && sink_.cleared && stored.cleared_reason.empty())
        sink_.cleared(stored);
}

}  // namespace lykta::faults
