#pragma once
// The lighting policy running in the daemon: holds the policy's inputs (config,
// persisted overrides, safety flags, schedule revision), evaluates them at
// start, on every command that changes them and at the next transition (one
// timer, no polling), drives the luminaires through their DALI buses (only what
// changed), publishes luminaire and area state, the policy's events, and
// answers the lighting commands of the MQTT API. Loop thread only.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gateway/api/feature.hpp"
#include "gateway/api/uplink.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/lighting/clock_watch.hpp"
#include "gateway/lighting/lighting_observer.hpp"
#include "gateway/lighting/photocell_inputs.hpp"
#include "gateway/luminaires/luminaires_feature.hpp"
#include "gateway/meters/meter_observer.hpp"
#include "gateway/policy/arbitration.hpp"
#include "gateway/policy/policy_store.hpp"
#include "gateway/store/database.hpp"

namespace lykta::lighting {

class LightingFeature final : public Feature, public meters::MeterObserver {
public:
    LightingFeature(asio::io_context& io, const config::Config& config,
                    luminaires::LuminairesFeature& luminaires, Uplink& uplink, store::Database& db,
                    const Clock& clock);
    ~LightingFeature() override;
    void start() override;
    void stop() override;

    // Not owned; must outlive the feature. Told the targets and safety state once
    // at start and after every evaluation that changed something.
    void add_observer(LightingObserver* observer) { observers_.push_back(observer); }
    void remove_observer(LightingObserver* observer) { std::erase(observers_, observer); }

    // Read-back level (percent, null when the gear did not answer) by luminaire id.
    using Levels = std::map<std::string, std::optional<double>>;
    // Evaluates the policy at clock.now(), emits what changed, sends the changed
    // levels (plus `force`: luminaires a command names, sent even if unchanged) and
    // re-arms the timer. `done` gets the read-back levels of what was sent.
    void evaluate(std::set<std::string> force = {}, std::function<void(Levels)> done = nullptr);

    // The luminaires of `areas` just got mains (a contactor closed) and booted to
    // their POWER ON LEVEL, deaf to what was sent while they were off: evaluates
    // and sends their levels, changed or not. Unknown areas are ignored.
    void reapply_areas(const std::vector<std::string>& areas);

    // The instant the timer is armed for (tests on virtual time advance the clock
    // to it and call evaluate(), as the timer would).
    std::optional<SystemTime> next_evaluation() const { return next_; }
    const policy::PolicyInputs& inputs() const { return inputs_; }

    // Photocell readings (docs/policy.md, "Photocell gating"): a status of a
    // device a photocell reads steps the photocells; a changed verdict evaluates.
    void on_values(const meters::MeterValues& values) override;
    // A wall-clock jump re-plans at once (evaluate + timer re-armed from the new time).
    void on_clock(SystemTime at, const policy::ClockHealth& health);
    std::int64_t schedule_revision() const { return revision_; }

private:
    struct Sent {
        double level = -1;
        double fade_s = 0;
    };
    void load_persisted();
    void step_photocells(SystemTime now);
    void arm_timer();
    void emit_safety_transitions(SystemTime now);
    void emit_expired_overrides(SystemTime now);
    // A command changed the inputs of these luminaires only (indices into the
    // effective config): decides just them and sends their levels at once,
    // changed or not; then publishes them, tells the observers and re-plans the
    // timer. The rest of the policy did not move (time-driven changes are the
    // timer's), so deciding the other thousand before the frame was waste.
    // Falls back to evaluate() when a timer instant is already due.
    void evaluate_luminaires(const std::vector<std::size_t>& indices, std::function<void(Levels)> done);
    std::vector<std::size_t> luminaires_of(policy::Scope scope, const std::string& target) const;
    void plan_next(SystemTime now);
    void publish_states(const std::vector<policy::Decision>& decisions, SystemTime now);
    void publish_state(const policy::Decision& decision);
    // Only the areas in `only` when given.
    void publish_area_states(SystemTime now, const std::set<std::string>* only = nullptr);
    void tell_observers(const std::vector<policy::Decision>& decisions, SystemTime now);
    // Only decisions_[i] for these i changed since the observers were last told.
    void tell_observers(const std::vector<std::size_t>& indices, SystemTime now);
    policy::PolicyInputs normal_inputs() const;
    void actuate(const std::vector<policy::Decision>& decisions, const std::set<std::string>& force,
                 std::function<void(Levels)> done);
    // (index into effective_.luminaires, its decision): what to send now.
    using Sends = std::vector<std::pair<std::size_t, const policy::Decision*>>;
    void send(const Sends& sends, std::function<void(Levels)> done);
    void on_bus_ready(const std::string& bus_id);
    void on_status(const config::DaliBus& bus, const std::vector<dali::GearStatus>& statuses, bool reachable);
    void register_commands();
    bool apply_schedule_text(const std::string& text, std::string* error);

    // Commands (lighting_commands.cpp).
    void handle_set(const nlohmann::json& args, mqtt::Responder responder, policy::Scope scope);
    void handle_override_clear(const nlohmann::json& args, mqtt::Responder responder);
    void handle_safety(const nlohmann::json& args, mqtt::Responder responder);
    void handle_safety_clear(const nlohmann::json& args, mqtt::Responder responder);
    void handle_identify(const nlohmann::json& args, mqtt::Responder responder);
    void handle_explain(const nlohmann::json& args, mqtt::Responder responder);
    void handle_schedule_get(const nlohmann::json& args, mqtt::Responder responder);
    void handle_schedule_set(const nlohmann::json& args, mqtt::Responder responder);
    void blink();

    asio::io_context& io_;
    const config::Config& config_;
    config::Config effective_;  // the config with the persisted schedule revision in place
    luminaires::LuminairesFeature& luminaires_;
    Uplink& uplink_;
    const Clock& clock_;
    policy::PolicyStore store_;
    policy::PolicyInputs inputs_;
    std::int64_t revision_ = 0;
    asio::steady_timer timer_;
    asio::steady_timer blink_timer_;
    std::optional<SystemTime> next_;
    PhotocellInputs photocells_;
    std::optional<SystemTime> photocell_next_;      // earliest instant a photocell verdict may change
    std::vector<policy::Decision> decisions_;       // of the last evaluation, config order
    std::map<std::string, Sent> sent_;              // by luminaire: what the bus was last told
    std::vector<LuminaireTarget> told_;             // config order: what the observers were last told
    std::map<std::string, nlohmann::json> areas_;   // last published area state (without ts)
    std::map<std::string, bool> area_safety_;       // by area: a flag in force (for the observers)
    std::map<std::string, bool> bus_reachable_;     // by bus, from the sweeps
    std::map<std::string, bool> luminaire_failed_;  // by luminaire, from the sweeps
    std::vector<LightingObserver*> observers_;
    bool started_ = false;
    std::uint64_t next_id_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::lighting
