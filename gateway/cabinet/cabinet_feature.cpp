#include "gateway/cabinet/cabinet_feature.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "gateway/cabinet/configured_templates.hpp"
#include "gateway/cabinet/meter_state.hpp"
#include "gateway/cabinet/write_request.hpp"
#include "gateway/config/modbus_driver_config.hpp"

namespace lykta::cabinet {

CabinetFeature::CabinetFeature(asio::io_context& io, Timers& timers, const config::Config& config,
                               Uplink& uplink, const Clock& clock)
    : io_(io), timers_(timers), uplink_(uplink), clock_(clock), templates_(load_templates(config.modbus)) {
    for (const auto& d : templates_.diagnostics) spdlog::error("{}", d.to_string());
    for (const auto& net : config.modbus.networks)
        networks_.emplace(net.id, std::make_unique<modbus::Network>(io_, config::driver_config(net)));
    for (const auto& dev : config.modbus.devices) {
        auto t = templates_.templates.find(dev.template_name);
        auto net = networks_.find(dev.network);
        if (t == templates_.templates.end() || net == networks_.end()) {
            spdlog::error("modbus device {}: not polled (template '{}' or network '{}' missing)", dev.id,
                          dev.template_name, dev.network);
            continue;
        }
        Device& device = devices_[dev.id];
        device.config = dev;
        device.poller = std::make_unique<modbus::Poller>(io_, *net->second, config::driver_config(dev),
                                                         t->second, clock_);
        device.poller->on_publish(
            [this, &device](const modbus::DeviceState& state) { on_publish(device, state); });
    }
    make_contactors(config);
    uplink_.add_command("modbus/write", [this](const nlohmann::json& args, api::Responder responder) {
        on_write(args, std::move(responder));
    });
}

CabinetFeature::~CabinetFeature() {
    stop();
}

void CabinetFeature::make_contactors(const config::Config& config) {
    std::vector<ContactorControl::Output> outputs;
    for (const auto& c : config.modbus.contactors) {
        auto it = devices_.find(c.device);
        if (it == devices_.end()) continue;  // reported above
        const auto& t = it->second.poller->state().device_template();
        const modbus::ValueSpec* spec = modbus::contactor_output(t, c.value);
        if (!spec || !modbus::is_writable(spec->table)) {
            spdlog::error("modbus contactor on {}: no writable value '{}' in template {}", c.device,
                          c.value.empty() ? "(role contactor_output)" : c.value, t.name);
            continue;
        }
        outputs.push_back({c, static_cast<std::size_t>(spec - t.values.data()), spec->name});
    }
    contactors_ = std::make_unique<ContactorControl>(
        timers_, std::move(outputs),
        [this](const std::string& device, std::size_t index, double value, modbus::Poller::WriteDone done) {
            devices_.at(device).poller->write(index, value, std::move(done));
        },
        [this](const std::string& device) {
            // Before the first poll there is nothing to publish (and no availability yet).
            auto it = devices_.find(device);
            if (started_ && it != devices_.end() && it->second.last_status)
                on_publish(it->second, it->second.poller->state());
        },
        clock_);
}

void CabinetFeature::start() {
    started_ = true;
    for (auto& [id, net] : networks_) net->start();
    for (auto& [id, device] : devices_) device.poller->start();
    contactors_->start();
    if (!devices_.empty())
        spdlog::info("modbus: polling {} devices on {} networks", devices_.size(), networks_.size());
}

void CabinetFeature::stop() {
    alive_ = std::make_shared<bool>(false);
    started_ = false;
    contactors_->stop();
    for (auto& [id, device] : devices_) device.poller->stop();
    for (auto& [id, net] : networks_) net->stop();
    for (auto& [id, responder] : pending_writes_)
        responder.error(api::error_code::bus_error,
                        "the gateway is stopping; the write may or may not have happened");
    pending_writes_.clear();
}

void CabinetFeature::remove_observer(MeterObserver& observer) {
    observers_.erase(std::remove(observers_.begin(), observers_.end(), &observer), observers_.end());
}

bool CabinetFeature::set_contactor(const std::string& device, bool on, modbus::Poller::WriteDone done) {
    auto it = devices_.find(device);
    if (it == devices_.end()) return false;
    auto& poller = *it->second.poller;
    const auto& values = poller.state().device_template().values;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i].role != modbus::Role::contactor_output) continue;
        poller.write(i, on ? 1 : 0, std::move(done));
        return true;
    }
    return false;
}

nlohmann::json CabinetFeature::heartbeat() const {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [id, net] : networks_) {
        const auto c = net->counters();
        out[id] = {{"requests", c.requests},       {"timeouts", c.timeouts},
                   {"exceptions", c.exceptions},   {"bad_responses", c.bad_responses},
                   {"link_errors", c.link_errors}, {"reopens", c.reopens},
                   {"unchanged", c.unchanged},     {"skipped_cycles", c.skipped_cycles}};
    }
    return out;
}

void CabinetFeature::on_publish(Device& device, const modbus::DeviceState& state) {
    const auto& config = device.config;
    auto now = clock_.now();
    const auto& specs = state.device_template().values;
    for (std::size_t i = 0; i < specs.size(); ++i)
        if (modbus::is_writable(specs[i].table) && state.value(i))
            contactors_->on_polled(config.id, i, *state.value(i) != 0);
    auto payload = state_payload(state, now);
    if (auto contactors = contactors_->describe(config.id); !contactors.empty())
        payload["contactors"] = std::move(contactors);
    uplink_.publish_state("meter/" + config.id + "/state", std::move(payload));
    MeterStatus status = meter_status(config, state, now);
    status.unpowered_areas = contactors_->unpowered_areas(config.id);
    auto edges = edges_between(device.last_status, status);
    const MeterValues values = meter_values(config, state, now);
    for (MeterObserver* o : observers_) {
        o->on_status(status);
        o->on_values(values);
        if (edges.availability) o->on_availability(config.id, *edges.availability, now);
        if (edges.door_open) o->on_door(config.id, *edges.door_open, now);
        if (edges.contactor_mismatch) o->on_contactor_mismatch(config.id, *edges.contactor_mismatch, now);
        if (status.energy_import_kwh && status.available)
            o->on_energy(config.id, config.areas, *status.energy_import_kwh, now);
    }
    device.last_status = std::move(status);
}

void CabinetFeature::on_write(const nlohmann::json& args, api::Responder responder) {
    auto parsed = parse_write_request(args, [this](const std::string& id) -> const modbus::DeviceTemplate* {
        auto it = devices_.find(id);
        return it == devices_.end() ? nullptr : &it->second.poller->state().device_template();
    });
    if (auto* error = std::get_if<api::CommandError>(&parsed)) {
        responder.error(*error);
        return;
    }
    const auto request = std::get<WriteRequest>(parsed);
    auto& poller = *devices_.at(request.device).poller;
    const auto& spec = poller.state().device_template().values[request.value_index];
    // The responder stays here, not in the worker's queue: whatever happens to
    // the queued job, stop() still answers it exactly once.
    const std::uint64_t id = next_write_++;
    pending_writes_.emplace(id, std::move(responder));
    std::weak_ptr<bool> alive = alive_;
    poller.write(request.value_index, request.set,
                 [this, alive, id, device = request.device, name = spec.name, unit = spec.unit,
                  bit = spec.type == modbus::DataType::bit](modbus::WriteOutcome outcome) {
                     if (alive.expired()) return;
                     auto it = pending_writes_.find(id);
                     if (it == pending_writes_.end()) return;
                     api::Responder r = std::move(it->second);
                     pending_writes_.erase(it);
                     using Kind = modbus::WriteOutcome::Kind;
                     switch (outcome.kind) {
                         case Kind::ok: {
                             nlohmann::json data{{"device", device}, {"value", name}};
                             if (bit)
                                 data["read_back"] = outcome.read_back != 0;
                             else
                                 data["read_back"] = outcome.read_back;
                             if (!unit.empty()) data["unit"] = unit;
                             spdlog::info("modbus device {}: wrote {} = {}", device, name, outcome.read_back);
                             r.ok(std::move(data));
                             return;
                         }
                         case Kind::out_of_range:
                             r.error(api::error_code::out_of_range, outcome.message, "set");
                             return;
                         case Kind::timeout:
                             r.error(api::error_code::timeout, "meter '" + device + "': " + outcome.message);
                             return;
                         case Kind::bus_error:
                             r.error(api::error_code::bus_error,
                                     "meter '" + device + "': " + outcome.message);
                             return;
                     }
                 });
}

}  // namespace lykta::cabinet
