#pragma once
// The storage_failure fault (docs/faults.md): raised when the store cannot be
// written (disk full, I/O error, read-only file system), cleared when a probe
// write works again. While the store fails the fault cannot be written to it,
// so it lives here in memory; once writes work it is stored (raised and
// cleared in one transaction) and its events go out. Its fault.raised event
// goes out at once if the outbox still takes it, else with the clearing.
// Loop thread only.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gateway/api/uplink.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/timers.hpp"
#include "gateway/faults/fault.hpp"
#include "gateway/faults/fault_store.hpp"
#include "gateway/store/database.hpp"

namespace lykta::faults {

class StorageFault {
public:
    // How often a failing store is tried again (one small key/value write).
    static constexpr auto probe_period = std::chrono::seconds(2);

    // `alarms_changed` is called when the fault appears or goes (P/alarms must be republished).
    StorageFault(Timers& timers, store::Database& db, Uplink& uplink, const Clock& clock,
                 std::function<void()> alarms_changed);

    // The store's failure listener: safe to call from inside a failing store
    // call (only counts and defers the work to the loop).
    void report(const std::string& what);
    // The store failed with `what`: raises the fault unless it is active.
    void failed(const std::string& what);
    // One probe write; when it works the fault is stored and cleared. True when
    // the store is writable (or nothing was failing).
    bool probe();
    void stop() {
        deferred_.cancel();
        timer_.cancel();
    }

    // The active fault (in memory only), if any.
    const std::optional<Fault>& fault() const { return fault_; }

private:
    void arm();
    nlohmann::json event(const char* type, const Fault& fault) const;

    store::Database& db_;
    Uplink& uplink_;
    const Clock& clock_;
    std::function<void()> alarms_changed_;
    FaultStore rows_;
    Timers& timers_;
    Timer deferred_;  // failed() for a report, on the next loop turn
    Timer timer_;     // the next probe
    std::optional<Fault> fault_;
    bool raised_sent_ = false;    // the outbox took fault.raised while the store was failing
    std::uint64_t reported_ = 0;  // failures the store reported (synchronously)
};

}  // namespace lykta::faults
