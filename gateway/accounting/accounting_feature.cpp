#include "gateway/accounting/accounting_feature.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "gateway/accounting/configured_faults.hpp"
#include "gateway/accounting/meter_facts.hpp"
#include "gateway/accounting/sweep_facts.hpp"
#include "gateway/core/periodic.hpp"
#include "gateway/faults/alarms_payload.hpp"
#include "gateway/faults/fault_commands.hpp"
#include "gateway/faults/fault_settings.hpp"
#include "gateway/stats/stats_commands.hpp"

namespace lykta::accounting {
namespace {

constexpr double prune_period_s = 24 * 3600;

// Without a policy target the level-versus-target rules have nothing to judge:
// an unknown target is not "off", so day_burner and night_outage get no
// observation (their debounce counts stay as they are).
void drop_target_rules(std::vector<faults::Observation>& observations) {
    std::erase_if(observations, [](const faults::Observation& o) {
        return o.kind == faults::FaultKind::day_burner || o.kind == faults::FaultKind::night_outage;
    });
}

}  // namespace

AccountingFeature::AccountingFeature(Timers& timers, const config::Config& config, Uplink& uplink,
                                     store::Database& db, const Clock& clock)
    : config_(config),
      uplink_(uplink),
      clock_(clock),
      stats_(db, config.site.timezone, {config.statistics.lit_ok_ratio}),
      flush_job_(timers, "statistics: flush", seconds_to_duration(config.statistics.flush_s),
                 [this] { flush(); }),
      prune_job_(timers, "faults: prune", seconds_to_duration(prune_period_s), [this] { prune(); }) {
    known_.resize(config.luminaires.size());
    index_.reserve(config.luminaires.size());
    for (std::size_t i = 0; i < config.luminaires.size(); ++i) index_.emplace(config.luminaires[i].id, i);
    // Called when storage_failure appears and when it goes: once the store
    // takes writes again, the fault changes held meanwhile are stored and sent.
    storage_ = std::make_unique<StorageFault>(timers, db, uplink, clock, [this] {
        faults::FaultBook::Batch batch(*book_);
        if (!storage_->fault()) book_->retry_held();
        book_->publish_alarms();
    });
    auto settings = faults::fault_settings(config.faults);
    // P/alarms never exceeds what the deployment accepts as one MQTT payload.
    settings.alarms_max_bytes = static_cast<std::size_t>(config.mqtt.max_payload);
    book_ = std::make_unique<faults::FaultBook>(
        db, clock, std::move(settings),
        faults::FaultSink{[this](nlohmann::json a) { publish_alarms(std::move(a)); },
                          [this](nlohmann::json e) { uplink_.publish_event(std::move(e)); },
                          [this](const faults::Fault& f) {
                              stats_.fault_raised(f);
                              flush_fault_counts();
                          },
                          [this](const faults::Fault& f) {
                              stats_.fault_cleared(f);
                              flush_fault_counts();
                          }});
    auto source = [this] { return &config_; };
    for (auto& [path, handler] : faults::fault_commands(*book_, source)) uplink_.add_command(path, handler);
    uplink_.add_command("report/get", stats::report_command(stats_, clock_, source));
}

AccountingFeature::~AccountingFeature() = default;

void AccountingFeature::start() {
    // Faults restored from the store whose luminaire, device, bus or area the
    // config (new after a reload) no longer has can never clear by themselves.
    int retired = book_->retire_if([this](const faults::Fault& f) { return !still_configured(config_, f); },
                                   clock_.now());
    if (retired > 0)
        spdlog::info("faults: retired {} active fault(s) of targets no longer configured", retired);
    int moved = book_->retire_if([this](const faults::Fault& f) { return moved_area(config_, f); },
                                 clock_.now(), faults::FaultBook::moved_reason);
    if (moved > 0)
        spdlog::info(
            "faults: closed {} active fault(s) of luminaires moved to another area; they are raised "
            "again there while the condition lasts",
            moved);
    book_->publish_alarms();
    prune();
    flush_job_.start();
    prune_job_.start();
}

void AccountingFeature::stop() {
    flush_job_.stop();
    prune_job_.stop();
    storage_->stop();
    stats_.flush(clock_.now());
}

void AccountingFeature::flush_fault_counts() {
    // The fault is already in the store; its count must not wait up to flush_s
    // for the timer, or a kill -9 right after the raise loses it while the
    // fault survives (tests/reliability/test_kill9_state.py). Faults are rare.
    try {
        stats_.flush(clock_.now());
    } catch (const store::StoreError& e) {  // the store's failure listener raises storage_failure
        spdlog::error("statistics: cannot record a fault count: {}", e.what());
    }
}

void AccountingFeature::publish_alarms(nlohmann::json payload) {
    if (const auto& storage = storage_->fault()) {
        auto list = book_->active();
        list.push_back(*storage);
        std::sort(list.begin(), list.end(), faults::alarm_order);
        // Same size cap as the book's own payload: the storage fault can push it over.
        payload = faults::alarms_payload(list, payload.value("ts", std::string{}),
                                         static_cast<std::size_t>(config_.mqtt.max_payload));
    }
    uplink_.publish_state("alarms", std::move(payload));
}

void AccountingFeature::on_sweep(const luminaires::Sweep& sweep) {
    const auto now = clock_.now();
    const auto& detection = book_->settings().detection;
    auto facts = sweep_facts(sweep);
    faults::FaultBook::Batch batch(*book_);  // one P/alarms per sweep
    book_->observe(faults::observe_bus(now, facts.bus));
    for (auto& [gear, light] : facts.gear) {
        // Gear behind a contactor that is off has no mains: silence is expected, not a fault.
        if (!gear.available && unpowered(gear.area)) gear.bus_ok = false;
        auto* row = known(gear.luminaire);
        if (!row) continue;  // sweep_facts names configured luminaires only
        auto& known = *row;
        // What burns: the luminaires room's verdict (a failed lamp or gear gives none).
        if (!gear.bus_ok || !light)
            known.level.reset();
        else
            known.level = *light;

        if (auto target = targets_.get(gear.luminaire)) {
            book_->observe(faults::observe_gear(now, gear, *target, detection));
        } else {
            auto observations = faults::observe_gear(now, gear, faults::TargetState{0, now}, detection);
            drop_target_rules(observations);
            book_->observe(observations);
        }
        record(now, luminaire_of(known), known);
    }
}

void AccountingFeature::on_targets(SystemTime at, const std::vector<lighting::LuminaireTarget>& targets) {
    for (const auto& t : targets) {
        auto* known = this->known(t.luminaire);
        if (!known) continue;
        targets_.update(t.luminaire, t.target, at);
        known->target = t.target;
        known->normal_level = t.normal_level;
        record(at, luminaire_of(*known), *known);
    }
}

void AccountingFeature::on_safety(SystemTime at, const std::string& area, bool in_force) {
    book_->set_safety(area, in_force);
    stats_.safety(at, area, in_force);
}

void AccountingFeature::on_photocell(SystemTime at, const std::string& photocell,
                                     const std::vector<std::string>& areas, bool disagreement,
                                     const std::string& detail) {
    book_->observe(faults::Observation{at, faults::FaultKind::photocell_disagreement,
                                       "photocell/" + photocell, areas.empty() ? "" : areas.front(),
                                       disagreement, detail});
}

void AccountingFeature::on_clock(SystemTime at, bool unsynchronised, bool jumped, const std::string& detail) {
    book_->observe({faults::Observation{at, faults::FaultKind::clock_unsynchronised, "gateway/clock", "",
                                        unsynchronised, unsynchronised ? detail : ""},
                    faults::Observation{at, faults::FaultKind::clock_jump, "gateway/clock", "", jumped,
                                        jumped ? detail : ""}});
}

void AccountingFeature::on_uplink_credentials(SystemTime at, const std::string& problem) {
    book_->observe(faults::Observation{at, faults::FaultKind::uplink_credentials, "gateway/uplink", "",
                                       !problem.empty(), problem});
}

AccountingFeature::Known* AccountingFeature::known(const std::string& luminaire_id) {
    auto it = index_.find(luminaire_id);
    return it == index_.end() ? nullptr : &known_[it->second];
}

const config::Luminaire& AccountingFeature::luminaire_of(const Known& known) const {
    return config_.luminaires[static_cast<std::size_t>(&known - known_.data())];
}

void AccountingFeature::record(SystemTime t, const config::Luminaire& luminaire, Known& known) {
    // Unknown read-back counts as dark (docs/statistics.md): never invent light.
    const Recorded figures{known.level.value_or(0), known.target.value_or(0),
                           known.target ? known.normal_level : 0};
    if (known.recorded == figures) return;  // area and rated_w come from the config: fixed
    stats_.luminaire(t, stats::LuminaireState{luminaire.id, luminaire.area, luminaire.rated_w, figures.level,
                                              figures.target, figures.normal_level});
    known.recorded = figures;
}

bool AccountingFeature::unpowered(const std::string& area) const {
    for (const auto& [meter, areas] : unpowered_areas_)
        if (std::find(areas.begin(), areas.end(), area) != areas.end()) return true;
    return false;
}

std::map<std::string, double> AccountingFeature::estimated_w() const {
    std::map<std::string, double> out;
    for (const auto& known : known_)
        if (known.level) {
            const auto& l = luminaire_of(known);
            out[l.area] += l.rated_w * *known.level / 100.0;
        }
    return out;
}

void AccountingFeature::on_status(const cabinet::MeterStatus& status) {
    const auto now = status.ts == SystemTime{} ? clock_.now() : status.ts;
    unpowered_areas_[status.meter] = status.unpowered_areas;
    auto meter = fault_meter_status(status);
    book_->observe(faults::observe_meter(now, meter));
    if (status.areas.empty() || !status.active_power_w) return;

    // Expected power from the read-back of every luminaire the meter measures;
    // one unknown level makes the expectation unknown, so no judgement.
    std::vector<faults::MeteredLoad> loads;
    bool targets_known = true;
    for (const auto& l : config_.luminaires) {
        if (std::find(status.areas.begin(), status.areas.end(), l.area) == status.areas.end()) continue;
        const auto& known = known_[static_cast<std::size_t>(&l - config_.luminaires.data())];
        if (!known.level) return;
        loads.push_back({l.rated_w, *known.level});
        targets_known = targets_known && known.target.has_value();
    }
    if (loads.empty()) return;
    auto observations = faults::observe_energy(now, meter, loads, book_->settings().detection);
    if (!targets_known) drop_target_rules(observations);
    book_->observe(observations);
}

void AccountingFeature::on_energy(const std::string& meter, const std::vector<std::string>& areas, double kwh,
                                  SystemTime ts) {
    meter_kwh_[meter] = kwh;
    // The baseline survives restarts (saved with the figures it was credited
    // to), so what the meter counted while the daemon was down is credited to
    // the day of this reading. A meter never seen before starts its baseline
    // here; a counter that went back (meter replaced or reset) starts a new
    // one rather than a negative delta.
    const auto baseline = stats_.meter_baseline(meter);
    const double delta = baseline ? kwh - *baseline : 0;
    if (baseline && delta == 0) return;
    stats_.set_meter_baseline(meter, kwh);
    if (delta <= 0) return;
    for (const auto& [area, share] : split_energy(delta, areas, estimated_w()))
        stats_.meter_energy(ts, area, share);
}

nlohmann::json AccountingFeature::telemetry() {
    auto counters = stats_.telemetry(clock_.now());  // flushes first
    auto out = nlohmann::json::array();
    for (const auto& [area, figures] : counters["areas"].items()) {
        nlohmann::json message = {{"kind", "energy"}, {"area", area}, {"day", counters["day"]}};
        message["kwh"] = figures.at("energy_kwh");
        message.update(figures);
        out.push_back(std::move(message));
    }
    for (const auto& [meter, kwh] : meter_kwh_)
        out.push_back({{"kind", "meter"}, {"meter", meter}, {"kwh", kwh}});
    return out;
}

void AccountingFeature::flush() {
    // Fallback for a write that failed without storage_failure noticing (its
    // probe is what normally triggers the retry).
    if (book_->held() > 0 && !storage_->fault()) book_->retry_held();
    for (auto& message : telemetry()) uplink_.publish_telemetry(std::move(message));
}

int AccountingFeature::prune() {
    int pruned = book_->prune();
    if (pruned > 0)
        spdlog::info("faults: pruned {} cleared fault(s) past the {}-day history", pruned,
                     config_.faults.history_days);
    return pruned;
}

}  // namespace lykta::accounting
