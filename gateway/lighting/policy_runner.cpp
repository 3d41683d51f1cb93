#include "gateway/lighting/policy_runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "gateway/config/schedule_parser.hpp"
#include "gateway/core/periodic.hpp"
#include "gateway/policy/requests.hpp"

namespace lykta::lighting {
namespace {
// A timer armed further ahead than this is re-armed on expiry instead: keeps
// the wait bounded when the wall clock is stepped (NTP at boot) and the
// elapsed time does not follow.
constexpr auto longest_wait = std::chrono::minutes(10);
}  // namespace

PolicyRunner::PolicyRunner(const config::Config& config, store::Database& db, Uplink& uplink,
                           const Clock& clock, Timers& timers)
    : config_(config),
      effective_(config),
      uplink_(uplink),
      clock_(clock),
      timers_(timers),
      store_(db),
      inputs_(policy::PolicyInputs::from_config(effective_)),
      photocells_(config, inputs_.place) {}

void PolicyRunner::load_persisted() {
    if (auto schedule = store_.latest_schedule()) {
        auto result = config::parse_schedule(schedule->text, config_);
        if (result.ok()) {
            effective_.schedule = std::move(*result.schedule);
            inputs_.config = &effective_;
            revision_ = schedule->revision;
        } else {  // e.g. the config no longer has an area the stored calendar names
            spdlog::error(
                "schedule revision {} no longer fits the config ({}); running the config's schedule",
                schedule->revision,
                result.diagnostics.empty() ? std::string() : result.diagnostics.front().to_string());
        }
    }
    auto flags = policy::flags_from_config(effective_, inputs_.place);
    for (auto& f : store_.flags()) flags.push_back(std::move(f));
    inputs_.flags = std::move(flags);
    inputs_.overrides = store_.overrides();
}

void PolicyRunner::start(std::function<void()> on_due) {
    on_due_ = std::move(on_due);
    load_persisted();
    const auto now = clock_.now();
    emit_expired_overrides(now);
    emit_safety_transitions(now);  // observers not told here: all areas once, below
    for (const auto& area : effective_.areas) {
        const bool in_force = area_in_force(area.id, now);
        area_safety_[area.id] = in_force;
        for (auto* o : report_.observers()) o->on_safety(now, area.id, in_force);
    }
    started_ = true;
}

void PolicyRunner::stop() {
    started_ = false;
    timer_.cancel();
    blink_timer_.cancel();
}

PolicyRunner::Decided PolicyRunner::decide_all() {
    const auto now = clock_.now();
    step_photocells(now);
    emit_expired_overrides(now);
    emit_safety_transitions(now);
    std::erase_if(inputs_.maintenance, [&](const policy::Maintenance& m) { return !m.active_at(now); });
    decisions_ = policy::decide_all(inputs_, now);
    return {now, true, {}};
}

bool PolicyRunner::can_decide_some() const {
    const auto now = clock_.now();
    const bool due = (next_ && now >= *next_) || (photocell_next_ && now >= *photocell_next_);
    return started_ && !due && decisions_.size() == effective_.luminaires.size();
}

PolicyRunner::Decided PolicyRunner::decide_some(const std::vector<std::size_t>& indices) {
    const auto now = clock_.now();
    auto some = policy::decide_some(inputs_, indices, now);
    Decided decided{now, false, {}};
    for (auto i : indices) {
        if (i >= effective_.luminaires.size()) continue;  // decide_some skips them too
        decisions_[i] = std::move(some[decided.indices.size()]);
        decided.indices.push_back(i);
    }
    return decided;
}

void PolicyRunner::report(const Decided& decided) {
    if (decided.all)
        report_.all(inputs_, decisions_, decided.at);
    else
        report_.some(inputs_, decisions_, decided.indices, decided.at);
}

bool PolicyRunner::verdicts_expired() const {
    return photocell_next_ && clock_.now() >= *photocell_next_;
}

std::vector<std::size_t> PolicyRunner::luminaires_of(policy::Scope scope, const std::string& target) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < effective_.luminaires.size(); ++i) {
        const auto& l = effective_.luminaires[i];
        if (scope == policy::Scope::luminaire ? l.id == target : l.area == target) out.push_back(i);
    }
    return out;
}

void PolicyRunner::set_schedule(config::Schedule schedule, std::int64_t revision) {
    effective_.schedule = std::move(schedule);
    inputs_.config = &effective_;
    inputs_.nights = std::make_shared<policy::NightCache>();
    revision_ = revision;
}

void PolicyRunner::plan_next() {
    next_ = policy::next_transition(inputs_, clock_.now());
    if (photocell_next_ && (!next_ || *photocell_next_ < *next_)) next_ = photocell_next_;
    arm();
}

void PolicyRunner::arm() {
    if (!started_ || !next_) return;
    // Elapsed time, bounded, not Timers::at: after a wall-clock step the clock
    // watch re-plans first (photocell readings shifted with it), so a forward
    // step does not fire a stale instant that would flash the astro fallback.
    auto wait = std::chrono::duration_cast<Timers::Duration>(*next_ - clock_.now());
    wait = std::clamp<Timers::Duration>(wait, std::chrono::milliseconds(1), longest_wait);
    timer_ = timers_.after(wait, [this] {
        if (next_ && clock_.now() < *next_) return arm();  // woke early (bounded wait)
        due();
    });
}

void PolicyRunner::due() {
    if (run_period("lighting: evaluation", [this] { on_due_(); })) return;
    // The run threw before it planned the next one: try again shortly, not in a busy loop.
    next_ = clock_.now() + std::chrono::seconds(1);
    arm();
}

void PolicyRunner::step_photocells(SystemTime now) {
    if (photocells_.empty()) return;
    auto step = photocells_.step(now);
    inputs_.photocells = std::move(step.areas);
    photocell_next_ = step.next;
    for (const auto& d : photocells_.take_disagreements()) {
        if (d.active) spdlog::warn("lighting: {}; the astro clock decides", d.detail);
        for (auto* o : report_.observers()) o->on_photocell(now, d.photocell, d.areas, d.active, d.detail);
    }
}

void PolicyRunner::on_values(const cabinet::MeterValues& values) {
    if (!photocells_.take(values) || !started_) return;
    const auto now = clock_.now();
    auto step = photocells_.step(now);
    if (step.changed) return on_due_();  // steps again at the same instant: same verdicts
    // Only the lux moved: keep the verdicts (explain shows them) and re-plan.
    inputs_.photocells = std::move(step.areas);
    photocell_next_ = step.next;
    for (const auto& d : photocells_.take_disagreements())
        for (auto* o : report_.observers()) o->on_photocell(now, d.photocell, d.areas, d.active, d.detail);
    plan_next();
}

void PolicyRunner::on_clock(const policy::ClockHealth& health) {
    if (!started_ || !health.jump.jumped()) return;
    // The timer was armed for an instant on the old time line: plan afresh.
    spdlog::info("lighting: re-planning after the clock jump");
    photocells_.shift(health.jump.delta);
    on_due_();
}

void PolicyRunner::blink() {
    blink_timer_ = timers_.after(std::chrono::seconds(1), [this] {
        bool any = false;
        for (auto& m : inputs_.maintenance)
            if (m.kind == policy::Maintenance::Kind::identify && m.active_at(clock_.now())) {
                m.level = m.level > 50 ? 10 : 100;
                any = true;
            }
        on_due_();
        if (any) blink();
    });
}

void PolicyRunner::emit_expired_overrides(SystemTime now) {
    // inputs_.overrides mirrors the table (loaded at start, changed together), so
    // the store's write transaction runs only when one of them has run out, not
    // on every evaluation (it sat before the frame of every command).
    if (std::none_of(inputs_.overrides.begin(), inputs_.overrides.end(),
                     [&](const policy::Override& o) { return o.until && *o.until <= now; }))
        return;
    for (const auto& o : store_.take_expired_overrides(now)) {
        std::erase_if(inputs_.overrides, [&](const policy::Override& x) { return x.id == o.id; });
        uplink_.publish_event(policy::override_expired_event(o, inputs_.place));
    }
}

bool PolicyRunner::area_in_force(const std::string& area, SystemTime now) const {
    return std::any_of(inputs_.flags.begin(), inputs_.flags.end(), [&](const policy::SafetyFlag& f) {
        return f.area == area && policy::in_force(f, inputs_.place, now);
    });
}

void PolicyRunner::emit_safety_transitions(SystemTime now) {
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
        const bool in_force = area_in_force(area.id, now);
        auto& known = area_safety_[area.id];
        if (known == in_force) continue;
        known = in_force;
        if (started_)
            for (auto* o : report_.observers()) o->on_safety(now, area.id, in_force);
    }
}

}  // namespace lykta::lighting
