#pragma once
// The lighting policy as the daemon runs it: its inputs (the config with the
// stored schedule revision in place, overrides and safety flags from the
// store, photocell verdicts, maintenance layers), the decisions of the last
// evaluation and which of them an evaluation changed, and one timer armed for
// the next transition (no polling). It announces what the policy itself says
// (override.expired, safety.started/ended, the observers' targets, safety and
// photocell changes); it neither sends frames nor publishes state: when the
// timer fires, a photocell verdict flips, the wall clock jumps or an identify
// blinks, it calls `on_due` (the lighting feature's evaluation). Loop thread only.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/api/uplink.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/timers.hpp"
#include "gateway/lighting/photocell_inputs.hpp"
#include "gateway/lighting/target_report.hpp"
#include "gateway/policy/arbitration.hpp"
#include "gateway/policy/clock_health.hpp"
#include "gateway/policy/policy_store.hpp"
#include "gateway/store/database.hpp"

namespace lykta::lighting {

class PolicyRunner {
public:
    PolicyRunner(const config::Config& config, store::Database& db, Uplink& uplink, const Clock& clock,
                 Timers& timers);

    // Loads the stored schedule revision, flags and overrides, announces what
    // changed while the daemon was down and tells the observers every area's
    // safety state. From then on `on_due` runs at every transition.
    void start(std::function<void()> on_due);
    void stop();
    bool started() const { return started_; }

    void add_observer(LightingObserver* observer) { report_.add(observer); }
    void remove_observer(LightingObserver* observer) { report_.remove(observer); }

    // Which luminaires an evaluation decided again (indices into config().luminaires).
    struct Decided {
        SystemTime at{};  // the instant decided for
        bool all = true;
        std::vector<std::size_t> indices;  // when !all
    };
    // At clock.now(): steps the photocells, retires expired overrides and
    // maintenance, announces safety transitions, decides every luminaire.
    Decided decide_all();
    // False when only a full evaluation is right: not started, no full one yet,
    // or a transition is due that the timer has not handled yet.
    bool can_decide_some() const;
    // A command changed the inputs of these luminaires only: decides just them
    // (out of range ones are skipped). The rest of the policy did not move
    // (time-driven changes are the timer's).
    Decided decide_some(const std::vector<std::size_t>& indices);
    // Tells the observers the targets that moved in `decided`.
    void report(const Decided& decided);
    // Arms the timer for the next transition from now (after every evaluation).
    void plan_next();
    // A photocell verdict holds until its next change: past it, an area state
    // built now would show the gate ungated, so evaluate instead.
    bool verdicts_expired() const;

    // Photocell readings (docs/policy.md, "Photocell gating"): a changed verdict runs `on_due`.
    void on_values(const cabinet::MeterValues& values);
    // A wall-clock jump: the timer was armed for an instant on the old time line; runs `on_due`.
    void on_clock(const policy::ClockHealth& health);
    // Identify alternates 100 % and 10 % once a second (real time) while any
    // identify layer lasts; its expiry is a policy transition like any other.
    void blink();

    // The running config: the loaded one with the stored schedule revision in place.
    const config::Config& config() const { return effective_; }
    // The loaded one (schedule/set parses a new schedule against it).
    const config::Config& base_config() const { return config_; }
    const policy::PolicyInputs& inputs() const { return inputs_; }
    // For the commands, which change the inputs and then evaluate.
    policy::PolicyInputs& inputs() { return inputs_; }
    policy::PolicyStore& store() { return store_; }
    const std::vector<policy::Decision>& decisions() const { return decisions_; }
    const PhotocellInputs& photocells() const { return photocells_; }
    std::int64_t revision() const { return revision_; }
    // schedule/set: the stored revision `revision` of the schedule is the running one now.
    void set_schedule(config::Schedule schedule, std::int64_t revision);
    // The luminaires a command names (indices into config().luminaires).
    std::vector<std::size_t> luminaires_of(policy::Scope scope, const std::string& target) const;
    SystemTime now() const { return clock_.now(); }
    // A new serial for the ids of flags set over MQTT (unique within this run).
    std::uint64_t next_serial() { return serial_++; }

private:
    void load_persisted();
    void step_photocells(SystemTime now);
    void emit_expired_overrides(SystemTime now);
    void emit_safety_transitions(SystemTime now);
    bool area_in_force(const std::string& area, SystemTime now) const;
    void arm();
    void due();

    const config::Config& config_;
    config::Config effective_;  // the config with the persisted schedule revision in place
    Uplink& uplink_;
    const Clock& clock_;
    Timers& timers_;
    policy::PolicyStore store_;
    policy::PolicyInputs inputs_;
    std::int64_t revision_ = 0;
    PhotocellInputs photocells_;
    std::optional<SystemTime> photocell_next_;  // earliest instant a photocell verdict may change
    std::optional<SystemTime> next_;            // the instant the timer is armed for
    Timer timer_;
    Timer blink_timer_;
    std::vector<policy::Decision> decisions_;  // config order
    TargetReport report_;
    std::map<std::string, bool> area_safety_;  // by area: a flag in force (as the observers were told)
    std::function<void()> on_due_;
    std::uint64_t serial_ = 0;
    bool started_ = false;
};

}  // namespace lykta::lighting
