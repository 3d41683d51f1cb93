#include "gateway/luminaires/luminaires_feature.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "drivers/dali/transport_factory.hpp"
#include "gateway/core/periodic.hpp"
#include "gateway/core/rfc3339.hpp"
#include "gateway/luminaires/commission_report.hpp"
#include "gateway/luminaires/state_payload.hpp"

namespace lykta::luminaires {
namespace {
constexpr double first_sweep_s = 0.3;  // give the interface a moment to connect
}

LuminairesFeature::LuminairesFeature(asio::io_context& io, Timers& timers, const config::Config& config,
                                     Uplink& uplink, const Clock& clock)
    : io_(io),
      timers_(timers),
      config_(config),
      uplink_(uplink),
      clock_(clock),
      records_(config.luminaires.size()) {
    for (const auto& l : config_.luminaires) by_id_.emplace(l.id, &l);
    for (const auto& b : config_.dali.buses) {
        BusRun run;
        run.config = &b;
        run.plan = plan_bus(config_, b.id);
        run.bus =
            std::make_unique<dali::Bus>(io_, b.id, dali::make_transport(io_, b.interface), run.plan.layout);
        buses_.emplace(b.id, std::move(run));
    }
    uplink_.add_command("dali/commission", [this](const nlohmann::json& args, api::Responder r) {
        handle_commission(args, std::move(r));
    });
}

LuminairesFeature::~LuminairesFeature() {
    *alive_ = false;
}

dali::Bus* LuminairesFeature::bus(const std::string& bus_id) {
    auto it = buses_.find(bus_id);
    return it == buses_.end() ? nullptr : it->second.bus.get();
}

bool LuminairesFeature::commissioning(const std::string& bus_id) const {
    auto it = buses_.find(bus_id);
    return it != buses_.end() && it->second.commissioning;
}

nlohmann::json LuminairesFeature::heartbeat_counters() const {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [id, run] : buses_) {
        const auto& c = run.bus->counters();
        out[id] = {{"frames", c.frames},
                   {"answers", c.answers},
                   {"no_answers", c.no_answers},
                   {"collisions", c.collisions},
                   {"timeouts", c.timeouts},
                   {"interface_errors", c.interface_errors},
                   {"power_losses", c.power_losses},
                   {"retries", c.retries}};
    }
    return out;
}

void LuminairesFeature::start() {
    for (auto& [id, run] : buses_) {
        spdlog::info("DALI bus {}: {} luminaires on {}", id, run.plan.layout.addresses.size(),
                     run.bus->transport().describe());
        run.bus->start();
        if (config_.dali.commission_on_start) {
            run.commissioning = true;
            std::weak_ptr<bool> alive = alive_;
            BusRun* r = &run;
            run.timer = timers_.after(seconds_to_duration(first_sweep_s), [this, alive, r] {
                r->bus->commission({}, [this, alive, r](dali::CommissionReport report) {
                    if (!alive.lock() || !*alive.lock()) return;
                    r->commissioning = false;
                    log_commission_report(r->bus->id(), report);
                    r->announced_ready = false;  // new addresses: the levels go out again
                    schedule_sweep(*r, 0);
                });
            });
        } else {
            schedule_sweep(run, first_sweep_s);
        }
        schedule_energy(run, std::min(run.config->energy_sweep_s, 5.0));
    }
}

void LuminairesFeature::stop() {
    *alive_ = false;
    for (auto& [id, run] : buses_) {
        run.timer.cancel();
        run.energy_timer.cancel();
        run.bus->stop();
    }
}

void LuminairesFeature::schedule_sweep(BusRun& run, double delay_s) {
    std::weak_ptr<bool> alive = alive_;
    BusRun* r = &run;
    run.timer = timers_.after(seconds_to_duration(delay_s), [this, alive, r] {
        if (r->commissioning) return schedule_sweep(*r, r->config->sweep_s);  // addresses are in flux
        r->bus->sweep([this, alive, r](std::vector<dali::GearStatus> statuses) {
            if (auto a = alive.lock(); !a || !*a) return;
            // A sweep whose handling threw (a store refusing a write) is logged; the next one comes.
            run_period("DALI bus " + r->bus->id() + ": sweep", [&] { on_sweep(*r, statuses); });
            schedule_sweep(*r, r->config->sweep_s);
        });
    });
}

void LuminairesFeature::schedule_energy(BusRun& run, double delay_s) {
    std::weak_ptr<bool> alive = alive_;
    BusRun* r = &run;
    run.energy_timer = timers_.after(seconds_to_duration(delay_s), [this, alive, r] {
        // Bulk reads wait for the bus to be ready and its groups checked (the ready gate).
        if (!r->announced_ready || r->gated)
            return schedule_energy(*r, std::min(r->config->energy_sweep_s, 5.0));
        // Only gear that answered the last sweep: reading absent ones costs 22 frames each for nothing.
        std::vector<int> addresses;
        for (const auto& [address, l] : r->plan.by_address)
            if (const auto& status = record(*l).status; status && status->available)
                addresses.push_back(address);
        r->bus->read_energy(addresses, [this, alive, r](std::vector<dali::EnergyReading> readings) {
            if (auto a = alive.lock(); !a || !*a) return;
            run_period("DALI bus " + r->bus->id() + ": energy readings", [&] {
                for (const auto& e : readings) {
                    const auto* l = r->plan.by_address.at(e.address);
                    if (!e.energy_wh && !e.operating_s) continue;  // not a D4i gear
                    const auto before = payload_text(*l);
                    record(*l).energy = e;
                    publish_if_changed(*l, before);
                }
            });
            schedule_energy(*r, r->config->energy_sweep_s);
        });
    });
}

void LuminairesFeature::on_sweep(BusRun& run, const std::vector<dali::GearStatus>& statuses) {
    std::size_t available = 0;
    for (const auto& s : statuses) {
        if (s.available) ++available;
        if (auto it = run.plan.by_address.find(s.address); it != run.plan.by_address.end())
            set_status(*it->second, s);
    }
    const bool reachable = available > 0 || statuses.empty();
    if (reachable != run.reachable) {
        if (!reachable)
            spdlog::warn("DALI bus {}: no gear answers ({})", run.bus->id(),
                         statuses.empty() ? "" : statuses.front().problem);
        else
            spdlog::info("DALI bus {}: gear answer again ({} of {})", run.bus->id(), available,
                         statuses.size());
        run.reachable = reachable;
    }
    if (!reachable) run.announced_ready = false;
    if (reachable && available > 0 && !run.announced_ready && !run.commissioning) notify_ready(run);
    if (!observers_.empty()) {
        const auto sweep = make_sweep(*run.config, run.plan.by_address, statuses, reachable);
        for (const auto& observer : observers_) observer(sweep);
    }
    // Fail-safe levels go in as soon as a gear can hear them, and again until it is verified.
    // Only gear that just answered are asked: an absent one would cost two query timeouts
    // every sweep (its absence is the no_answer fault's business); it is programmed when it
    // answers again.
    if (!run.fail_safe_busy && available > 0 && !run.commissioning) {
        std::set<int> answered;
        for (const auto& s : statuses)
            if (s.available) answered.insert(s.address);
        std::vector<dali::FailSafeLevels> due;
        for (const auto& want : run.plan.fail_safe)
            if (answered.count(want.address) && !run.fail_safe_verified.count(want.address))
                due.push_back(want);
        if (!due.empty()) program_fail_safe(run, std::move(due), [](std::vector<dali::FailSafeResult>) {});
    }
}

void LuminairesFeature::notify_ready(BusRun& run) {
    run.announced_ready = true;
    const auto round = ++run.ready_round;
    if (!ready_gate_) {
        spdlog::info("DALI bus {}: ready", run.bus->id());
        return tell_ready(run);
    }
    spdlog::info("DALI bus {}: ready; group membership first, then the policy's levels and bulk reads",
                 run.bus->id());
    run.gated = true;
    std::weak_ptr<bool> alive = alive_;
    BusRun* r = &run;
    ready_gate_(run.config->id, [this, alive, r, round] {
        if (auto a = alive.lock(); !a || !*a) return;
        if (round != r->ready_round) return;  // a later ready has its own gate
        r->gated = false;
        if (r->announced_ready) tell_ready(*r);  // not when it went unreachable meanwhile
    });
}

void LuminairesFeature::tell_ready(BusRun& run) {
    for (const auto& observer : ready_observers_) observer(run.config->id);
}

void LuminairesFeature::set_policy(const std::string& luminaire_id, nlohmann::json target,
                                   nlohmann::json reason) {
    auto it = by_id_.find(luminaire_id);
    if (it == by_id_.end()) return;
    auto shown = ShownPolicy::from_json(std::move(target), reason);
    auto& slot = record(*it->second).policy;
    if (slot == shown) return;  // every evaluation repeats most of them
    const auto before = payload_text(*it->second);
    slot = std::move(shown);
    publish_if_changed(*it->second, before);
}

void LuminairesFeature::apply(const std::string& bus_id, std::vector<dali::Target> targets,
                              dali::Bus::StatusDone done) {
    auto it = buses_.find(bus_id);
    if (it == buses_.end()) return done({});
    std::weak_ptr<bool> alive = alive_;
    BusRun* r = &it->second;
    r->bus->apply(std::move(targets),
                  [this, alive, r, done = std::move(done)](std::vector<dali::GearStatus> s) {
                      if (auto a = alive.lock(); !a || !*a) return;
                      for (const auto& status : s)
                          if (auto l = r->plan.by_address.find(status.address); l != r->plan.by_address.end())
                              set_status(*l->second, status);
                      done(std::move(s));
                  });
}

void LuminairesFeature::program_fail_safe(BusRun& run, std::vector<dali::FailSafeLevels> levels,
                                          std::function<void(std::vector<dali::FailSafeResult>)> then) {
    std::weak_ptr<bool> alive = alive_;
    BusRun* r = &run;
    run.fail_safe_busy = true;
    run.bus->program_fail_safe(
        std::move(levels), [alive, r, then = std::move(then)](std::vector<dali::FailSafeResult> results) {
            if (auto a = alive.lock(); !a || !*a) return;
            std::size_t written = 0, failed = 0;
            for (const auto& x : results) {
                written += x.written;
                failed += !x.ok;
                if (x.ok) r->fail_safe_verified.insert(x.address);
            }
            r->fail_safe_busy = false;
            if (written > 0 || failed > 0)
                spdlog::info("DALI bus {}: fail-safe levels: {} programmed, {} of {} not verified{}",
                             r->bus->id(), written, failed, results.size(),
                             failed ? " (retried when they answer a sweep)" : "");
            then(std::move(results));
        });
}

LuminairesFeature::Record& LuminairesFeature::record(const config::Luminaire& l) {
    return records_[static_cast<std::size_t>(&l - config_.luminaires.data())];
}

nlohmann::json LuminairesFeature::payload(const config::Luminaire& l) const {
    const auto& r = records_[static_cast<std::size_t>(&l - config_.luminaires.data())];
    if (!r.status) return nullptr;
    auto payload = state_payload(l, *r.status, r.energy ? &*r.energy : nullptr);
    if (r.policy) {
        payload["target"] = r.policy->target;
        payload["reason"] = r.policy->reason_json();
    }
    return payload;
}

std::string LuminairesFeature::payload_text(const config::Luminaire& l) const {
    auto p = payload(l);
    return p.is_null() ? std::string() : p.dump();
}

nlohmann::json LuminairesFeature::stamped_payload(const config::Luminaire& l) const {
    auto p = payload(l);
    p["ts"] = rfc3339_utc(records_[static_cast<std::size_t>(&l - config_.luminaires.data())].changed);
    return p;
}

void LuminairesFeature::publish_if_changed(const config::Luminaire& l, const std::string& before) {
    const auto text = payload_text(l);
    if (text.empty() || text == before) return;
    record(l).changed = clock_.now();
    // `this` outlives the uplink's loop (App stops the loop before it destroys the features).
    uplink_.publish_rendered_state("luminaire/" + l.id + "/state", [this, &l] { return stamped_payload(l); });
}

void LuminairesFeature::set_status(const config::Luminaire& l, const dali::GearStatus& status) {
    const auto before = payload_text(l);
    record(l).status = status;
    publish_if_changed(l, before);
}

void LuminairesFeature::handle_commission(const nlohmann::json& args, api::Responder responder) {
    if (!args.contains("bus") || !args["bus"].is_string())
        return responder.error(api::error_code::bad_request, "'bus' (a configured DALI bus id) is required",
                               "bus");
    if (args.contains("all") && !args["all"].is_boolean())
        return responder.error(api::error_code::bad_request, "'all' must be true or false", "all");
    const std::string id = args["bus"];
    auto it = buses_.find(id);
    if (it == buses_.end())
        return responder.error(api::error_code::bad_request, "no DALI bus '" + id + "'", "bus");
    BusRun& run = it->second;
    if (run.commissioning)
        return responder.error(api::error_code::too_busy,
                               "commissioning already running on bus '" + id + "'");
    run.commissioning = true;
    dali::CommissionOptions options;
    options.all = args.value("all", false);
    auto shared = std::make_shared<api::Responder>(std::move(responder));
    std::weak_ptr<bool> alive = alive_;
    BusRun* r = &run;
    run.bus->commission(options, [this, alive, r, shared](dali::CommissionReport report) {
        if (auto a = alive.lock(); !a || !*a) return;
        log_commission_report(r->bus->id(), report);
        // After commissioning, the fail-safe levels again (new gear come with factory values).
        r->fail_safe_verified.clear();
        program_fail_safe(*r, r->plan.fail_safe,
                          [this, r, shared, report](std::vector<dali::FailSafeResult> fail_safe) {
                              r->commissioning = false;
                              notify_ready(*r);  // new gear hold factory levels: the policy's targets again
                              shared->ok(commission_report_json(r->bus->id(), r->plan, report, fail_safe));
                          });
    });
}

}  // namespace lykta::luminaires
