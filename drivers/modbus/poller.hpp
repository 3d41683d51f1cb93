#pragma once
// Polls one device on its network: each poll group on its own interval (the
// network keeps the schedule and delivers only results that changed or
// failed), results folded into a DeviceState, and `on_publish` called when
// the state is worth publishing - on change and every full_publish_s. Also
// writes named values with readback. Runs on the event loop thread.
#include <asio.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "drivers/modbus/device_state.hpp"
#include "drivers/modbus/network.hpp"
#include "drivers/modbus/network_config.hpp"
#include "gateway/core/clock.hpp"

namespace lykta::modbus {

struct WriteOutcome {
    enum class Kind { ok, out_of_range, bus_error, timeout };
    Kind kind = Kind::ok;
    double read_back = 0;  // the value the device reports after the write
    std::string message;   // why it failed
};

class Poller {
public:
    using Publish = std::function<void(const DeviceState&)>;
    using WriteDone = std::function<void(WriteOutcome)>;

    Poller(asio::io_context& io, Network& network, DeviceConfig device, const DeviceTemplate& device_template,
           const Clock& clock);
    ~Poller();

    void start();
    void stop();
    // Called on the loop thread after a poll cycle when the state should go out.
    void on_publish(Publish publish) { publish_ = std::move(publish); }

    // Writes template value `index` (must be a coil or holding register) and
    // reads it back; `done` runs on the loop thread.
    void write(std::size_t index, double value, WriteDone done);

    const DeviceConfig& device() const { return device_; }
    const DeviceState& state() const { return state_; }

private:
    struct Group {
        std::string name;
        std::chrono::duration<double> interval{};
        std::vector<ReadRequest> requests;
        int poll_id = -1;
    };
    void on_results(const Group& group, const std::vector<ReadResult>& results);
    void schedule_full_publish();
    void maybe_publish();

    asio::io_context& io_;
    Network& network_;
    DeviceConfig device_;
    const Clock& clock_;
    DeviceState state_;
    std::vector<std::unique_ptr<Group>> groups_;
    asio::steady_timer full_publish_;
    SystemTime last_publish_{};  // clock_ time of the last publish
    Publish publish_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // results arriving after stop() are dropped
};

}  // namespace lykta::modbus
