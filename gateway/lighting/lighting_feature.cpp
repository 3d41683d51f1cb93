#include "gateway/lighting/lighting_feature.hpp"
#include "gateway/core/periodic.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "gateway/config/schedule_parser.hpp"
#include "gateway/lighting/area_state.hpp"
#include "gateway/policy/policy_json.hpp"
#include "gateway/policy/requests.hpp"

namespace lykta::lighting {
namespace {
// A timer armed further ahead than this is re-armed on expiry instead: keeps
// the wait bounded when the wall clock is stepped (NTP at boot) and the
// steady clock does not follow.
constexpr auto longest_wait = std::chrono::minutes(10);
// Two target levels closer than this are the same DALI arc level anyway.
constexpr double level_epsilon = 0.05;
}  // namespace

LightingFeature::LightingFeature(asio::io_context& io, const config::Config& config,
                                 luminaires::LuminairesFeature& luminaires, Uplink& uplink,
                                 store::Database& db, const Clock& clock)
    : io_(io),
      config_(config),
      effective_(config),
      luminaires_(luminaires),
      uplink_(uplink),
      clock_(clock),
      store_(db),
      inputs_(policy::PolicyInputs::from_config(effective_)),
      timer_(io),
      blink_timer_(io),
      photocells_(config, inputs_.place) {
    register_commands();
    uplink_.add_info_source("schedule_revision", [this] { return revision_; });
    luminaires_.add_bus_ready_observer([this](const std::string& bus) { on_bus_ready(bus); });
    luminaires_.add_status_observer([this](const config::DaliBus& bus,
                                           const std::vector<dali::GearStatus>& statuses,
                                           bool reachable) { on_status(bus, statuses, reachable); });
}

LightingFeature::~LightingFeature() {
    *alive_ = false;
}

void LightingFeature::load_persisted() {
    if (auto schedule = store_.latest_schedule()) {
        std::string error;
        if (apply_schedule_text(schedule->text, &error))
            revision_ = schedule->revision;
        else  // e.g. the config no longer has an area the stored calendar names
            spdlog::error(
                "schedule revision {} no longer fits the config ({}); running the config's schedule",
                schedule->revision, error);
    }
    auto flags = policy::flags_from_config(effective_, inputs_.place);
    for (auto& f : store_.flags()) flags.push_back(std::move(f));
    inputs_.flags = std::move(flags);
    inputs_.overrides = store_.overrides();
}

bool LightingFeature::apply_schedule_text(const std::string& text, std::string* error) {
    auto result = config::parse_schedule(text, config_);
    if (!result.ok()) {
        if (error && !result.diagnostics.empty()) *error = result.diagnostics.front().to_string();
        return false;
    }
    effective_.schedule = std::move(*result.schedule);
    inputs_.config = &effective_;
    return true;
}

void LightingFeature::start() {
    load_persisted();
    const auto now = clock_.now();
    emit_expired_overrides(now);
    emit_safety_transitions(now);  // observers not told here: all areas once, below
    for (const auto& area : effective_.areas) {
        bool in_force = false;
        for (const auto& f : inputs_.flags)
            if (f.area == area.id && policy::in_force(f, inputs_.place, now)) in_force = true;
        area_safety_[area.id] = in_force;
        for (auto* o : observers_) o->on_safety(now, area.id, in_force);
    }
    started_ = true;
    evaluate();
}

void LightingFeature::stop() {
    *alive_ = false;
    started_ = false;
    timer_.cancel();
    blink_timer_.cancel();
}

void LightingFeature::evaluate(std::set<std::string> force, std::function<void(Levels)> done) {
    const auto now = clock_.now();
    step_photocells(now);
    emit_expired_overrides(now);
    emit_safety_transitions(now);
    std::erase_if(inputs_.maintenance, [&](const policy::Maintenance& m) { return !m.active_at(now); });
    decisions_ = policy::decide_all(inputs_, now);
    // Frames first: the bus hears a command before the state of 1,024 luminaires is
    // rebuilt and published (MQTT command -> first frame, docs/benchmarks.md).
    actuate(decisions_, force, std::move(done));
    publish_states(decisions_, now);
    tell_observers(decisions_, now);
    plan_next(now);
}

void LightingFeature::evaluate_luminaires(const std::vector<std::size_t>& indices,
                                          std::function<void(Levels)> done) {
    const auto now = clock_.now();
    const bool due = (next_ && now >= *next_) || (photocell_next_ && now >= *photocell_next_);
    if (!started_ || due || decisions_.size() != effective_.luminaires.size()) {
        std::set<std::string> force;
        for (auto i : indices)
            if (i < effective_.luminaires.size()) force.insert(effective_.luminaires[i].id);
        return evaluate(std::move(force), std::move(done));
    }
    auto some = policy::decide_some(inputs_, indices, now);
    Sends sends;
    std::set<std::string> areas;
    std::vector<std::size_t> valid;  // decide_some skips indices out of range
    for (auto i : indices) {
        if (i >= effective_.luminaires.size()) continue;
        decisions_[i] = std::move(some[valid.size()]);
        valid.push_back(i);
        sends.emplace_back(i, &decisions_[i]);
        areas.insert(decisions_[i].area);
    }
    send(sends, std::move(done));  // frames first, as in evaluate()
    for (const auto& [i, d] : sends) publish_state(*d);
    publish_area_states(now, &areas);
    tell_observers(valid, now);
    plan_next(now);  // a new override's expiry may come before the armed instant
}

std::vector<std::size_t> LightingFeature::luminaires_of(policy::Scope scope,
                                                        const std::string& target) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < effective_.luminaires.size(); ++i) {
        const auto& l = effective_.luminaires[i];
        if (scope == policy::Scope::luminaire ? l.id == target : l.area == target) out.push_back(i);
    }
    return out;
}

void LightingFeature::plan_next(SystemTime now) {
    next_ = policy::next_transition(inputs_, now);
    if (photocell_next_ && (!next_ || *photocell_next_ < *next_)) next_ = photocell_next_;
    arm_timer();
}

void LightingFeature::step_photocells(SystemTime now) {
    if (photocells_.empty()) return;
    auto step = photocells_.step(now);
    inputs_.photocells = std::move(step.areas);
    photocell_next_ = step.next;
    for (const auto& d : photocells_.take_disagreements()) {
        if (d.active) spdlog::warn("lighting: {}; the astro clock decides", d.detail);
        for (auto* o : observers_) o->on_photocell(now, d.photocell, d.areas, d.active, d.detail);
    }
}

void LightingFeature::on_values(const meters::MeterValues& values) {
    if (!photocells_.take(values) || !started_) return;
    const auto now = clock_.now();
    auto step = photocells_.step(now);
    if (step.changed) return evaluate();  // steps again at the same instant: same verdicts
    // Only the lux moved: keep the verdicts (explain shows them) and the timer.
    inputs_.photocells = std::move(step.areas);
    photocell_next_ = step.next;
    for (const auto& d : photocells_.take_disagreements())
        for (auto* o : observers_) o->on_photocell(now, d.photocell, d.areas, d.active, d.detail);
    const auto planned = policy::next_transition(inputs_, now);
    next_ = planned;
    if (photocell_next_ && (!next_ || *photocell_next_ < *next_)) next_ = photocell_next_;
    arm_timer();
}

void LightingFeature::on_clock(SystemTime at, const policy::ClockHealth& health) {
    (void)at;
    if (!started_ || !health.jump.jumped()) return;
    // The timer was armed for an instant on the old time line: plan afresh.
    spdlog::info("lighting: re-planning after the clock jump");
    photocells_.shift(health.jump.delta);
    evaluate();
}

void LightingFeature::arm_timer() {
    if (!started_ || !next_) return;
    auto wait = std::chrono::duration_cast<std::chrono::steady_clock::duration>(*next_ - clock_.now());
    wait = std::clamp<std::chrono::steady_clock::duration>(wait, std::chrono::milliseconds(1), longest_wait);
    timer_.expires_after(wait);
    std::weak_ptr<bool> alive = alive_;
    timer_.async_wait([this, alive](std::error_code ec) {
        if (auto a = alive.lock(); ec || !a || !*a) return;
        if (next_ && clock_.now() < *next_) return arm_timer();  // woke early (bounded wait)
        if (run_period("lighting: evaluation", [this] { evaluate(); })) return;
        // The run threw before it planned the next one: try again shortly, not in a busy loop.
        next_ = clock_.now() + std::chrono::seconds(1);
        arm_timer();
    });
}

void LightingFeature::emit_expired_overrides(SystemTime now) {
    // inputs_.overrides mirrors the table (loaded at start, changed together), so
    // the store's write transaction runs only when one of them has run out, not
    // on every evaluation (it sat before the frame of every command).
    if (std::none_of(inputs_.overrides.begin(), inputs_.overrides.end(),
                     [&](const policy::Override& o) { return o.until && *o.until <= now; }))
        return;
    auto expired = store_.take_expired_overrides(now);
    for (const auto& o : expired) {
        std::erase_if(inputs_.overrides, [&](const policy::Override& x) { return x.id == o.id; });
        uplink_.publish_event(policy::override_expired_event(o, inputs_.place));
    }
}

void LightingFeature::emit_safety_transitions(SystemTime now) {
    auto result = policy::safety_transitions(store_.flag_states(), inputs_.flags, inputs_.place, now);
    if (result.events.empty() && result.forget.empty() && result.states.size() == store_.flag_states().size())
        return;
    store_.record(result);  // persisted before it is announced: a crash between loses nothing twice
    for (const auto& t : result.events) {
        const policy::SafetyFlag* flag = nullptr;
        for (const auto& f : inputs_.flags)
            if (f.id == t.flag_id) flag = &f;
        uplink_.publish_event(policy::safety_event(t, flag, inputs_.place));
    }
    // Per area: tell the observers when the area's overall safety state flips.
    for (const auto& area : effective_.areas) {
        bool in_force = false;
        for (const auto& f : inputs_.flags)
            if (f.area == area.id && policy::in_force(f, inputs_.place, now)) in_force = true;
        auto& known = area_safety_[area.id];
        if (known == in_force) continue;
        known = in_force;
        if (started_)
            for (auto* o : observers_) o->on_safety(now, area.id, in_force);
    }
}

void LightingFeature::publish_states(const std::vector<policy::Decision>& decisions, SystemTime now) {
    // Only the reason goes into the luminaire state: the full decision JSON (with
    // its stack) for 1,024 luminaires was most of the CPU of every evaluation.
    for (const auto& d : decisions) publish_state(d);
    publish_area_states(now);
}

void LightingFeature::publish_state(const policy::Decision& d) {
    luminaires_.set_policy(d.luminaire, std::round(d.level * 10) / 10,
                           policy::to_json(d.reason, inputs_.place));
}

void LightingFeature::publish_area_states(SystemTime now, const std::set<std::string>* only) {
    for (const auto& area : effective_.areas) {
        if (only && !only->count(area.id)) continue;
        AreaFacts facts;
        for (const auto& l : effective_.luminaires) {
            if (l.area != area.id) continue;
            ++facts.luminaires;
            if (luminaire_failed_[l.id]) ++facts.failed;
        }
        // Fail-safe: every bus of the area is known down, so the gear runs on its system failure level.
        facts.buses_down = facts.luminaires > 0;
        for (const auto& l : effective_.luminaires)
            if (l.area == area.id) {
                auto r = bus_reachable_.find(l.bus);
                if (r == bus_reachable_.end() || r->second) facts.buses_down = false;
            }
        auto payload = area_state_payload(inputs_, area, now, facts);
        auto& last = areas_[area.id];
        if (last == payload) continue;
        last = payload;
        payload["ts"] = policy::rfc3339_local(now, inputs_.place);
        uplink_.publish_state("area/" + area.id + "/state", std::move(payload));
    }
}

policy::PolicyInputs LightingFeature::normal_inputs() const {
    // "Normal" = the same inputs without safety flags: what the schedule alone gives.
    // The nights are shared: a night depends on profile, place and date only (the
    // cache checks each entry against them), not on flags. A fresh cache here
    // resolved every area's night again (solar equations) on every evaluation.
    auto normal = inputs_;
    normal.flags.clear();
    return normal;
}

void LightingFeature::tell_observers(const std::vector<policy::Decision>& decisions, SystemTime now) {
    if (observers_.empty()) return;
    bool changed = told_.size() != decisions.size();
    for (std::size_t i = 0; i < decisions.size() && !changed; ++i)
        changed = std::abs(told_[i].target - decisions[i].level) > level_epsilon;
    if (!changed) return;
    const auto normal = policy::levels_all(normal_inputs(), now);
    told_.clear();
    told_.reserve(decisions.size());
    for (std::size_t i = 0; i < decisions.size(); ++i) {
        const auto& d = decisions[i];
        told_.push_back({d.luminaire, d.area, d.level, i < normal.size() ? normal[i] : d.level, d.fade_s,
                         std::string(policy::to_string(d.reason.source))});
    }
    for (auto* o : observers_) o->on_targets(now, told_);
}

void LightingFeature::tell_observers(const std::vector<std::size_t>& indices, SystemTime now) {
    if (observers_.empty()) return;
    if (told_.size() != decisions_.size()) return tell_observers(decisions_, now);
    bool changed = false;
    for (auto i : indices)
        changed = changed || std::abs(told_[i].target - decisions_[i].level) > level_epsilon;
    if (!changed) return;
    // Only these changed: their normal levels, the others' stay as last told.
    const auto normal = policy::decide_some(normal_inputs(), indices, now);
    for (std::size_t k = 0; k < indices.size() && k < normal.size(); ++k) {
        const auto& d = decisions_[indices[k]];
        told_[indices[k]] = {d.luminaire,     d.area,   d.level,
                             normal[k].level, d.fade_s, std::string(policy::to_string(d.reason.source))};
    }
    for (auto* o : observers_) o->on_targets(now, told_);
}

void LightingFeature::actuate(const std::vector<policy::Decision>& decisions,
                              const std::set<std::string>& force, std::function<void(Levels)> done) {
    Sends sends;
    for (std::size_t i = 0; i < decisions.size() && i < effective_.luminaires.size(); ++i) {
        const auto& l = effective_.luminaires[i];
        const auto& d = decisions[i];
        auto sent = sent_.find(l.id);
        const bool same = sent != sent_.end() && std::abs(sent->second.level - d.level) <= level_epsilon;
        if (same && !force.count(l.id)) continue;
        if (bus_reachable_.count(l.bus) && !bus_reachable_[l.bus] && !force.count(l.id))
            continue;  // sent again when the bus answers (on_bus_ready)
        sends.emplace_back(i, &d);
    }
    send(sends, std::move(done));
}

void LightingFeature::send(const Sends& sends, std::function<void(Levels)> done) {
    std::map<std::string, std::vector<dali::Target>> by_bus;
    std::map<std::string, std::map<int, std::string>> ids;  // bus -> address -> luminaire
    for (const auto& [i, d] : sends) {
        const auto& l = effective_.luminaires[i];
        sent_[l.id] = {d->level, d->fade_s};
        by_bus[l.bus].push_back({l.address, d->level, d->fade_s});
        ids[l.bus][l.address] = l.id;
    }
    if (by_bus.empty()) {
        if (done) done({});
        return;
    }
    struct Pending {
        std::size_t buses = 0;
        Levels levels;
        std::function<void(Levels)> done;
    };
    auto pending = std::make_shared<Pending>();
    pending->buses = by_bus.size();
    pending->done = std::move(done);
    std::weak_ptr<bool> alive = alive_;
    for (auto& [bus, targets] : by_bus) {
        luminaires_.apply(bus, std::move(targets),
                          [this, alive, pending, names = ids[bus]](std::vector<dali::GearStatus> statuses) {
                              if (auto a = alive.lock(); !a || !*a) return;
                              for (const auto& s : statuses) {
                                  auto id = names.find(s.address);
                                  if (id == names.end()) continue;
                                  pending->levels[id->second] = s.percent;
                                  // Not heard: unknown whether it took the level; send it next time.
                                  if (!s.available) sent_[id->second].level = -1;
                              }
                              if (--pending->buses == 0 && pending->done) pending->done(pending->levels);
                          });
    }
}

void LightingFeature::on_bus_ready(const std::string& bus_id) {
    if (!started_) return;
    spdlog::info("lighting: bus {} answers; sending the policy's levels", bus_id);
    bus_reachable_[bus_id] = true;
    std::set<std::string> force;
    for (const auto& l : effective_.luminaires)
        if (l.bus == bus_id) force.insert(l.id);
    evaluate(std::move(force));
}

void LightingFeature::reapply_areas(const std::vector<std::string>& areas) {
    if (!started_) return;
    std::set<std::string> force;
    for (const auto& l : effective_.luminaires)
        if (std::find(areas.begin(), areas.end(), l.area) != areas.end()) force.insert(l.id);
    if (force.empty()) return;
    evaluate(std::move(force));
}

void LightingFeature::on_status(const config::DaliBus& bus, const std::vector<dali::GearStatus>& statuses,
                                bool reachable) {
    bus_reachable_[bus.id] = reachable;
    for (const auto& l : effective_.luminaires) {
        if (l.bus != bus.id) continue;
        for (const auto& s : statuses)
            if (s.address == l.address)
                luminaire_failed_[l.id] = !s.available || s.lamp_failure || s.gear_failure;
    }
    if (!started_) return;
    // A photocell verdict holds until its next change; past it (the timer is
    // about to fire) evaluate rather than publish an ungated area state.
    if (photocell_next_ && clock_.now() >= *photocell_next_) return evaluate();
    // Area state carries failed counts and the fail-safe mode: refresh it. Only
    // the areas: the decisions did not change, and redoing 1,024 luminaires after
    // each of 16 bus sweeps stalled the loop (command latency tail).
    publish_area_states(clock_.now());
}

}  // namespace lykta::lighting
