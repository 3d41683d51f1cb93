#pragma once
// The cabinet feature of lyktad: the Modbus devices in the lighting cabinet
// (energy meters, contactors, photocell inputs). Runs one Modbus network
// worker per configured network and one poller per device, publishes
// P/meter/<id>/state (retained) through the Uplink, answers `modbus/write`
// with the read-back value, switches the contactors with the lighting, and
// tells observers (faults, statistics, photocells) about status, edges and energy.
#include <asio.hpp>
#include <map>
#include <memory>
#include <vector>

#include "drivers/modbus/network.hpp"
#include "drivers/modbus/poller.hpp"
#include "drivers/modbus/template_loader.hpp"
#include "gateway/api/feature.hpp"
#include "gateway/api/uplink.hpp"
#include "gateway/cabinet/contactor_control.hpp"
#include "gateway/cabinet/meter_observer.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/timers.hpp"

namespace lykta::cabinet {

class CabinetFeature final : public Feature {
public:
    // Registers `modbus/write` with the uplink. Devices whose template cannot
    // be loaded (the config check reports those before start) are left out.
    CabinetFeature(asio::io_context& io, Timers& timers, const config::Config& config, Uplink& uplink,
                   const Clock& clock);
    ~CabinetFeature() override;

    void start() override;
    void stop() override;

    // Observers must outlive the feature (or be removed before they die).
    void add_observer(MeterObserver& observer) { observers_.push_back(&observer); }
    void remove_observer(MeterObserver& observer);

    // For the lighting policy: switch the device's contactor_output (role) and
    // read it back; `done` runs on the loop thread. False (and `done` is not
    // called) when there is no such device or it has no contactor output.
    bool set_contactor(const std::string& device, bool on, modbus::Poller::WriteDone done);

    // Switches the `modbus.contactors` with the lighting: App adds it to the
    // lighting feature's observers and hears from it when gear got mains
    // (docs/modbus.md, "Contactors").
    ContactorControl& contactors() { return *contactors_; }

    // Per-network transaction counters for P/heartbeat:
    // {"lan": {"requests": N, "timeouts": N, "exceptions": N, "bad_responses": N,
    //          "link_errors": N, "reopens": N, "unchanged": N, "skipped_cycles": N}}
    nlohmann::json heartbeat() const;

private:
    struct Device {
        config::ModbusDevice config;
        std::unique_ptr<modbus::Poller> poller;
        std::optional<MeterStatus> last_status;
    };
    void on_publish(Device& device, const modbus::DeviceState& state);
    void make_contactors(const config::Config& config);
    void on_write(const nlohmann::json& args, api::Responder responder);

    asio::io_context& io_;
    Timers& timers_;
    Uplink& uplink_;
    const Clock& clock_;
    modbus::TemplateSet templates_;
    std::map<std::string, std::unique_ptr<modbus::Network>> networks_;
    std::map<std::string, Device> devices_;
    std::vector<MeterObserver*> observers_;
    std::unique_ptr<ContactorControl> contactors_;
    bool started_ = false;
    std::map<std::uint64_t, api::Responder> pending_writes_;
    std::uint64_t next_write_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::cabinet
