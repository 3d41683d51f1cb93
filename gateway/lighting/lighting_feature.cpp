#include "gateway/lighting/lighting_feature.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "gateway/policy/policy_json.hpp"

namespace lykta::lighting {

LightingFeature::LightingFeature(const config::Config& config, luminaires::LuminairesFeature& luminaires,
                                 Uplink& uplink, store::Database& db, const Clock& clock, Timers& timers)
    : luminaires_(luminaires),
      policy_(config, db, uplink, clock, timers),
      actuator_(policy_.config(), luminaires),
      areas_(policy_.config(), uplink, [this](const std::string& bus) { return actuator_.bus_down(bus); }) {
    register_lighting_commands(uplink, {policy_, *this, uplink});
    uplink.add_info_source("schedule_revision", [this] { return policy_.revision(); });
    luminaires_.add_bus_ready_observer([this](const std::string& bus) { on_bus_ready(bus); });
    luminaires_.add_status_observer([this](const luminaires::Sweep& sweep) { on_sweep(sweep); });
}

void LightingFeature::start() {
    policy_.start([this] { evaluate(); });
    evaluate();
}

void LightingFeature::stop() {
    policy_.stop();
    actuator_.stop();
}

void LightingFeature::evaluate(std::set<std::string> force, Actuator::Done done) {
    const auto decided = policy_.decide_all();
    // Frames first: the bus hears a command before the state of 1,024 luminaires is
    // rebuilt and published (MQTT command -> first frame, docs/benchmarks.md).
    actuator_.send_changed(policy_.decisions(), force, std::move(done));
    publish(decided);
    policy_.report(decided);
    policy_.plan_next();
}

void LightingFeature::evaluate_luminaires(const std::vector<std::size_t>& indices, Actuator::Done done) {
    if (!policy_.can_decide_some()) {
        std::set<std::string> force;
        for (auto i : indices)
            if (i < policy_.config().luminaires.size()) force.insert(policy_.config().luminaires[i].id);
        return evaluate(std::move(force), std::move(done));
    }
    // Deciding the other thousand luminaires before the frame was waste.
    const auto decided = policy_.decide_some(indices);
    actuator_.send(policy_.decisions(), decided.indices, std::move(done));  // frames first, as in evaluate()
    publish(decided);
    policy_.report(decided);
    policy_.plan_next();  // a new override's expiry may come before the armed instant
}

void LightingFeature::publish(const PolicyRunner::Decided& decided) {
    // Only the reason goes into the luminaire state: the full decision JSON (with
    // its stack) for 1,024 luminaires was most of the CPU of every evaluation.
    const auto& decisions = policy_.decisions();
    const auto& place = policy_.inputs().place;
    auto show = [&](const policy::Decision& d) {
        luminaires_.set_policy(d.luminaire, std::round(d.level * 10) / 10, policy::to_json(d.reason, place));
    };
    if (decided.all) {
        for (const auto& d : decisions) show(d);
        return areas_.publish(policy_.inputs(), decided.at);
    }
    std::set<std::string> touched;
    for (auto i : decided.indices) {
        show(decisions[i]);
        touched.insert(decisions[i].area);
    }
    areas_.publish(policy_.inputs(), decided.at, &touched);
}

void LightingFeature::on_clock(SystemTime at, const policy::ClockHealth& health) {
    (void)at;
    policy_.on_clock(health);
}

void LightingFeature::on_bus_ready(const std::string& bus_id) {
    if (!policy_.started()) return;
    spdlog::info("lighting: bus {} answers; sending the policy's levels", bus_id);
    actuator_.set_reachable(bus_id, true);
    std::set<std::string> force;
    for (const auto& l : policy_.config().luminaires)
        if (l.bus == bus_id) force.insert(l.id);
    evaluate(std::move(force));
}

void LightingFeature::reapply_areas(const std::vector<std::string>& areas) {
    if (!policy_.started()) return;
    std::set<std::string> force;
    for (const auto& l : policy_.config().luminaires)
        if (std::find(areas.begin(), areas.end(), l.area) != areas.end()) force.insert(l.id);
    if (force.empty()) return;
    evaluate(std::move(force));
}

void LightingFeature::on_sweep(const luminaires::Sweep& sweep) {
    actuator_.set_reachable(sweep.bus->id, sweep.reachable);
    areas_.take(sweep);
    if (!policy_.started()) return;
    // A photocell verdict holds until its next change; past it (the timer is
    // about to fire) evaluate rather than publish an ungated area state.
    if (policy_.verdicts_expired()) return evaluate();
    // Area state carries failed counts and the fail-safe mode: refresh it. Only
    // the areas: the decisions did not change, and redoing 1,024 luminaires after
    // each of 16 bus sweeps stalled the loop (command latency tail).
    areas_.publish(policy_.inputs(), policy_.now());
}

}  // namespace lykta::lighting
