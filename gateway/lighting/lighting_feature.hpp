#pragma once
// The lighting policy running in the daemon, composed of three parts: the
// policy runner (inputs, store, revision, the transition timer; decides), the
// actuator (what each bus was told, which buses answer; sends) and the
// area-state publisher; the lighting commands work on them
// (lighting_commands.hpp). An evaluation sends first, then publishes the
// luminaires' and areas' state, tells the observers and re-plans the timer.
// Loop thread only.
#include <set>
#include <string>
#include <vector>

#include "gateway/api/feature.hpp"
#include "gateway/api/uplink.hpp"
#include "gateway/cabinet/meter_observer.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/timers.hpp"
#include "gateway/lighting/actuator.hpp"
#include "gateway/lighting/area_state_publisher.hpp"
#include "gateway/lighting/lighting_commands.hpp"
#include "gateway/lighting/policy_runner.hpp"
#include "gateway/luminaires/luminaires_feature.hpp"
#include "gateway/store/database.hpp"

namespace lykta::lighting {

class LightingFeature final : public Feature, public cabinet::MeterObserver, private PolicyChanges {
public:
    LightingFeature(const config::Config& config, luminaires::LuminairesFeature& luminaires, Uplink& uplink,
                    store::Database& db, const Clock& clock, Timers& timers);
    void start() override;
    void stop() override;

    // Not owned; must outlive the feature. Told the targets and safety state once
    // at start and after every evaluation that changed something.
    void add_observer(LightingObserver* observer) { policy_.add_observer(observer); }
    void remove_observer(LightingObserver* observer) { policy_.remove_observer(observer); }

    // Evaluates the policy at clock.now(), sends the changed levels (plus
    // `force`: luminaires sent even if unchanged), publishes, tells the
    // observers and re-plans. `done` gets the read-back levels of what was sent.
    void evaluate(std::set<std::string> force, Actuator::Done done = nullptr);
    void evaluate() override { evaluate({}); }

    // The luminaires of `areas` just got mains (a contactor closed) and booted to
    // their POWER ON LEVEL, deaf to what was sent while they were off: evaluates
    // and sends their levels, changed or not. Unknown areas are ignored.
    void reapply_areas(const std::vector<std::string>& areas);

    const policy::PolicyInputs& inputs() const { return policy_.inputs(); }
    std::int64_t schedule_revision() const { return policy_.revision(); }

    // Photocell readings: a changed verdict evaluates.
    void on_values(const cabinet::MeterValues& values) override { policy_.on_values(values); }
    // A wall-clock jump re-plans at once (evaluate + timer re-armed from the new time).
    void on_clock(SystemTime at, const policy::ClockHealth& health);

private:
    // Falls back to evaluate() (forcing these) when only a full evaluation is right.
    void evaluate_luminaires(const std::vector<std::size_t>& indices, Actuator::Done done) override;
    void publish(const PolicyRunner::Decided& decided);
    void on_bus_ready(const std::string& bus_id);
    void on_sweep(const luminaires::Sweep& sweep);

    luminaires::LuminairesFeature& luminaires_;
    PolicyRunner policy_;
    Actuator actuator_;
    AreaStatePublisher areas_;
};

}  // namespace lykta::lighting
