#pragma once
// One configured DALI bus as the lighting feature sees it: set levels (planned
// into broadcast/group/short frames), sweep the gear's status, program fail-safe
// levels and commission. Everything is asynchronous on the event loop; results
// arrive by callback. Frame order and priorities are the Scheduler's.
#include <array>
#include <asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "drivers/dali/commissioning.hpp"
#include "drivers/dali/energy_reading.hpp"
#include "drivers/dali/planner.hpp"
#include "drivers/dali/scheduler.hpp"
#include "drivers/dali/status.hpp"
#include "drivers/dali/transport.hpp"

namespace lykta::dali {

struct GearStatus {
    int address = 0;
    bool available = false;             // the gear answered
    std::optional<std::uint8_t> level;  // arc power level read back
    std::optional<double> percent;      // the same on the logarithmic curve
    bool lamp_failure = false;
    bool gear_failure = false;
    std::optional<GearStatusBits> bits;  // when QUERY STATUS was asked
    std::string problem;                 // why it is not available ("no answer", "bus error (power loss)")
};

struct FailSafeLevels {
    int address = 0;
    std::uint8_t power_on = 254;
    std::uint8_t system_failure = 254;
};

struct FailSafeResult {
    int address = 0;
    bool ok = false;       // the gear holds the wanted levels (verified by query)
    bool written = false;  // it did not, so they were programmed
    std::string problem;
};

class Bus {
public:
    Bus(asio::io_context& io, std::string id, std::unique_ptr<Transport> transport, BusLayout layout);
    ~Bus();
    Bus(const Bus&) = delete;
    Bus& operator=(const Bus&) = delete;

    void start();
    void stop();  // fails queued work; no callbacks after destruction

    using StatusDone = std::function<void(std::vector<GearStatus>)>;
    // Sends the planned frames at actuation priority, then reads the levels back.
    void apply(std::vector<Target> targets, StatusDone done);
    // Broadcast yes/no pre-checks, then ACTUAL LEVEL (and STATUS where a failure was
    // reported) for every configured address, one job per address at polling priority.
    void sweep(StatusDone done);
    // The cheapest "is anything wrong": two broadcast yes/no queries (any answer, even a
    // garbled one, is YES). nullopt when the bus could not be asked.
    struct Health {
        bool lamp_failure = false;
        bool gear_failure = false;
    };
    void health_check(std::function<void(std::optional<Health>)> done);
    // Query first, write only what differs (flash wear), verify by query.
    void program_fail_safe(std::vector<FailSafeLevels> levels,
                           std::function<void(std::vector<FailSafeResult>)> done);
    void commission(CommissionOptions options, std::function<void(CommissionReport)> done);
    // D4i energy/diagnostics of the given gear: short jobs at bulk priority (energy_reading.hpp).
    void read_energy(std::vector<int> addresses, std::function<void(std::vector<EnergyReading>)> done);

    const std::string& id() const { return id_; }
    const BusLayout& layout() const { return layout_; }
    // Groups whose membership is not known to match the config (group_check.hpp):
    // apply() addresses their members one by one instead. None by default.
    void set_unverified_groups(std::uint16_t mask);
    std::uint16_t unverified_groups() const { return unverified_groups_; }
    const BusCounters& counters() const { return scheduler_.counters(); }
    Transport& transport() { return *transport_; }
    Scheduler& scheduler() { return scheduler_; }
    // Frames sent by the planner for the last apply() (for the efficiency benchmark).
    std::size_t last_apply_frames() const { return last_apply_frames_; }

private:
    void read_back(std::vector<int> addresses, bool with_status, Priority priority, StatusDone done);
    void read_energy_job(int address, std::size_t job, std::shared_ptr<std::vector<Reply>> replies,
                         std::function<void(EnergyReading)> done);

    asio::io_context& io_;
    std::string id_;
    std::unique_ptr<Transport> transport_;
    BusLayout layout_;
    BusLayout planning_layout_;  // layout_ without the unverified groups: what apply() plans with
    std::uint16_t unverified_groups_ = 0;
    Scheduler scheduler_;
    std::array<std::optional<std::uint8_t>, 64> fade_code_{};  // what each gear's FADE TIME is known to be
    std::size_t last_apply_frames_ = 0;
    std::shared_ptr<Commissioning> commissioning_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::dali
