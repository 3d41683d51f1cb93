#pragma once
// The luminaires of the config, reached over their DALI buses: opens every bus,
// programs fail-safe levels, sweeps status every `sweep_s` and publishes
// P/luminaire/<id>/state on change; answers `dali/commission`. Loop thread only.
#include <asio/io_context.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "drivers/dali/bus.hpp"
#include "gateway/api/feature.hpp"
#include "gateway/api/uplink.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/timers.hpp"
#include "gateway/luminaires/bus_plan.hpp"
#include "gateway/luminaires/shown_policy.hpp"
#include "gateway/luminaires/sweep.hpp"

namespace lykta::luminaires {

class LuminairesFeature final : public Feature {
public:
    // `io` carries the buses' I/O; sweeps and energy reads wait on `timers`.
    LuminairesFeature(asio::io_context& io, Timers& timers, const config::Config& config, Uplink& uplink,
                      const Clock& clock);
    ~LuminairesFeature() override;
    void start() override;
    void stop() override;

    // For the lighting policy: the bus a luminaire hangs on (nullptr for unknown ids).
    dali::Bus* bus(const std::string& bus_id);
    // True while `dali/commission` (or commission_on_start) runs on the bus: addresses are in flux.
    bool commissioning(const std::string& bus_id) const;

    // Called on the loop thread after every sweep of a bus with what the gear
    // reported and the verdict on each configured luminaire (sweep.hpp; fault
    // detection, statistics, area state). `sweep.reachable` is false when no
    // gear on the bus answered (interface down or bus power lost).
    using StatusObserver = std::function<void(const Sweep& sweep)>;
    void add_status_observer(StatusObserver observer) { observers_.push_back(std::move(observer)); }
    // Called when a bus can be driven again: its first answering sweep, the first
    // after it was unreachable, and after commissioning (levels may be lost).
    using BusReadyObserver = std::function<void(const std::string& bus_id)>;
    void add_bus_ready_observer(BusReadyObserver observer) {
        ready_observers_.push_back(std::move(observer));
    }
    // Runs when a bus becomes ready, before the bus-ready observers hear of it: they
    // are told when the gate calls `open` (not if the bus went unreachable or
    // became ready anew meanwhile). The group membership check is the gate: groups
    // decide how the policy's levels and every later command are addressed, so
    // they are verified before the levels go out again and before the bulk reads
    // (inventory, D4i energy) start (docs/dali.md, "Priorities"). One gate.
    using ReadyGate = std::function<void(const std::string& bus_id, std::function<void()> open)>;
    void set_ready_gate(ReadyGate gate) { ready_gate_ = std::move(gate); }
    // The lighting policy's view of a luminaire, merged into its published state:
    // `target` (percent) and `reason` ({"source","id","detail","until"}).
    void set_policy(const std::string& luminaire_id, nlohmann::json target, nlohmann::json reason);
    // Sends `targets` on the bus and reads the levels back; the read-back levels go
    // into the luminaires' state before `done` sees them. Unknown bus: done({}).
    void apply(const std::string& bus_id, std::vector<dali::Target> targets, dali::Bus::StatusDone done);
    // Per-bus frame counters for P/heartbeat: {"bus1":{"frames":..,"answers":..,"no_answers":..,
    // "collisions":..,"timeouts":..,"interface_errors":..,"power_losses":..,"retries":..}}.
    nlohmann::json heartbeat_counters() const;

private:
    struct BusRun {
        const config::DaliBus* config = nullptr;
        BusPlan plan;
        std::unique_ptr<dali::Bus> bus;
        Timer timer;  // the next sweep (or the commissioning at start)
        Timer energy_timer;
        bool fail_safe_busy = false;       // one programming round at a time
        std::set<int> fail_safe_verified;  // addresses that hold their fail-safe levels
        bool reachable = true;
        bool commissioning = false;
        // Ready since it last became unreachable (observers told, or the gate still running).
        bool announced_ready = false;
        bool gated = false;             // the ready gate has not opened yet: no bulk reads
        std::uint64_t ready_round = 0;  // which ready the gate's `open` belongs to
    };
    // What is known of one luminaire. Its state payload is a function of these
    // (and the config), so the last published payload needs no copy of its own:
    // an update compares the payload before and after it.
    struct Record {
        std::optional<dali::GearStatus> status;     // from the last sweep or read-back
        std::optional<dali::EnergyReading> energy;  // from the last D4i read
        std::optional<ShownPolicy> policy;
        SystemTime changed{};  // when the published state last changed: its "ts"
    };
    void notify_ready(BusRun& run);
    void tell_ready(BusRun& run);
    void schedule_sweep(BusRun& run, double delay_s);
    void schedule_energy(BusRun& run, double delay_s);
    void on_sweep(BusRun& run, const std::vector<dali::GearStatus>& statuses);
    // Programs (reads back, writes where they differ) the fail-safe levels of
    // `levels`; a gear that is verified is not asked again until the bus is
    // commissioned anew.
    void program_fail_safe(BusRun& run, std::vector<dali::FailSafeLevels> levels,
                           std::function<void(std::vector<dali::FailSafeResult>)> then);
    Record& record(const config::Luminaire& luminaire);
    // The state payload without "ts" (null / "" while no sweep has reported the luminaire).
    nlohmann::json payload(const config::Luminaire& luminaire) const;
    std::string payload_text(const config::Luminaire& luminaire) const;
    nlohmann::json stamped_payload(const config::Luminaire& luminaire) const;  // with "ts"
    // Publishes the state unless it reads as `before`. The uplink keeps a renderer,
    // not the text: the parts are here anyway (~0.5 MB of text at 1,024 luminaires).
    void publish_if_changed(const config::Luminaire& luminaire, const std::string& before);
    void set_status(const config::Luminaire& luminaire, const dali::GearStatus& status);
    void handle_commission(const nlohmann::json& args, api::Responder responder);

    asio::io_context& io_;
    Timers& timers_;
    const config::Config& config_;
    Uplink& uplink_;
    const Clock& clock_;
    std::map<std::string, BusRun> buses_;
    std::vector<Record> records_;  // config_.luminaires order
    std::vector<StatusObserver> observers_;
    std::vector<BusReadyObserver> ready_observers_;
    ReadyGate ready_gate_;
    std::unordered_map<std::string, const config::Luminaire*> by_id_;  // config_.luminaires by id
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::luminaires
