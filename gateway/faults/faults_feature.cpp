#include "gateway/faults/faults_feature.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "gateway/faults/alarms_payload.hpp"
#include "gateway/faults/configured_faults.hpp"
#include "gateway/faults/fault_commands.hpp"
#include "gateway/faults/fault_settings.hpp"
#include "gateway/faults/meter_facts.hpp"
#include "gateway/faults/sweep_facts.hpp"

namespace lykta::faults {
namespace {

constexpr double prune_period_s = 24 * 3600;

// Without a policy target the level-versus-target rules have nothing to judge:
// an unknown target is not "off", so day_burner and night_outage get no
// observation (their debounce counts stay as they are).
void drop_target_rules(std::vector<Observation>& observations) {
    std::erase_if(observations, [](const Observation& o) {
        return o.kind == FaultKind::day_burner || o.kind == FaultKind::night_outage;
    });
}

}  // namespace

FaultsFeature::FaultsFeature(Timers& timers, const config::Config& config, Uplink& uplink,
                             store::Database& db, const Clock& clock)
    : config_(config),
      uplink_(uplink),
      clock_(clock),
      levels_(config.luminaires),
      // The fallback for a write that failed without storage_failure noticing
      // keeps the cadence it had when it rode on the statistics flush.
      held_job_(timers, "faults: held writes", seconds_to_duration(config.statistics.flush_s),
                [this] { retry_held(); }),
      prune_job_(timers, "faults: prune", seconds_to_duration(prune_period_s), [this] { prune(); }) {
    // Called when storage_failure appears and when it goes: once the store
    // takes writes again, the fault changes held meanwhile are stored and sent.
    storage_ = std::make_unique<StorageFault>(timers, db, uplink, clock, [this] {
        FaultBook::Batch batch(*book_);
        if (!storage_->fault()) book_->retry_held();
        book_->publish_alarms();
    });
    auto settings = fault_settings(config.faults);
    // P/alarms never exceeds what the deployment accepts as one MQTT payload.
    settings.alarms_max_bytes = static_cast<std::size_t>(config.mqtt.max_payload);
    book_ = std::make_unique<FaultBook>(
        db, clock, std::move(settings),
        FaultSink{[this](nlohmann::json a) { publish_alarms(std::move(a)); },
                  [this](nlohmann::json e) { uplink_.publish_event(std::move(e)); },
                  [this](const Fault& f) {
                      for (auto& l : listeners_)
                          if (l.raised) l.raised(f);
                  },
                  [this](const Fault& f) {
                      for (auto& l : listeners_)
                          if (l.cleared) l.cleared(f);
                  }});
    auto source = [this] { return &config_; };
    for (auto& [path, handler] : fault_commands(*book_, source)) uplink_.add_command(path, handler);
}

FaultsFeature::~FaultsFeature() = default;

void FaultsFeature::start() {
    // Faults restored from the store whose luminaire, device, bus or area the
    // config (new after a reload) no longer has can never clear by themselves.
    int retired =
        book_->retire_if([this](const Fault& f) { return !still_configured(config_, f); }, clock_.now());
    if (retired > 0)
        spdlog::info("faults: retired {} active fault(s) of targets no longer configured", retired);
    int moved = book_->retire_if([this](const Fault& f) { return moved_area(config_, f); }, clock_.now(),
                                 FaultBook::moved_reason);
    if (moved > 0)
        spdlog::info(
            "faults: closed {} active fault(s) of luminaires moved to another area; they are raised "
            "again there while the condition lasts",
            moved);
    book_->publish_alarms();
    prune();
    held_job_.start();
    prune_job_.start();
}

void FaultsFeature::stop() {
    held_job_.stop();
    prune_job_.stop();
    storage_->stop();
}

void FaultsFeature::publish_alarms(nlohmann::json payload) {
    if (const auto& storage = storage_->fault()) {
        auto list = book_->active();
        list.push_back(*storage);
        std::sort(list.begin(), list.end(), alarm_order);
        // Same size cap as the book's own payload: the storage fault can push it over.
        payload = alarms_payload(list, payload.value("ts", std::string{}),
                                 static_cast<std::size_t>(config_.mqtt.max_payload));
    }
    uplink_.publish_state("alarms", std::move(payload));
}

void FaultsFeature::on_sweep(const luminaires::Sweep& sweep) {
    const auto now = clock_.now();
    const auto& detection = book_->settings().detection;
    auto facts = sweep_facts(sweep);
    FaultBook::Batch batch(*book_);  // one P/alarms per sweep
    book_->observe(observe_bus(now, facts.bus));
    for (auto& [gear, light] : facts.gear) {
        // Gear behind a contactor that is off has no mains: silence is expected, not a fault.
        if (!gear.available && unpowered(gear.area)) gear.bus_ok = false;
        auto* level = levels_.find(gear.luminaire);
        if (!level) continue;  // sweep_facts names configured luminaires only
        // What burns: the luminaires room's verdict (a failed lamp or gear gives none).
        if (!gear.bus_ok || !light)
            level->reset();
        else
            *level = *light;

        if (auto target = targets_.get(gear.luminaire)) {
            book_->observe(observe_gear(now, gear, *target, detection));
        } else {
            auto observations = observe_gear(now, gear, TargetState{0, now}, detection);
            drop_target_rules(observations);
            book_->observe(observations);
        }
    }
}

void FaultsFeature::on_targets(SystemTime at, const std::vector<lighting::LuminaireTarget>& targets) {
    for (const auto& t : targets)
        if (levels_.find(t.luminaire)) targets_.update(t.luminaire, t.target, at);
}

void FaultsFeature::on_safety(SystemTime, const std::string& area, bool in_force) {
    book_->set_safety(area, in_force);
}

void FaultsFeature::on_photocell(SystemTime at, const std::string& photocell,
                                 const std::vector<std::string>& areas, bool disagreement,
                                 const std::string& detail) {
    book_->observe(Observation{at, FaultKind::photocell_disagreement, "photocell/" + photocell,
                               areas.empty() ? "" : areas.front(), disagreement, detail});
}

void FaultsFeature::on_clock(SystemTime at, bool unsynchronised, bool jumped, const std::string& detail) {
    book_->observe(
        {Observation{at, FaultKind::clock_unsynchronised, "gateway/clock", "", unsynchronised,
                     unsynchronised ? detail : ""},
         Observation{at, FaultKind::clock_jump, "gateway/clock", "", jumped, jumped ? detail : ""}});
}

void FaultsFeature::on_uplink_credentials(SystemTime at, const std::string& problem) {
    book_->observe(
        Observation{at, FaultKind::uplink_credentials, "gateway/uplink", "", !problem.empty(), problem});
}

bool FaultsFeature::unpowered(const std::string& area) const {
    for (const auto& [meter, areas] : unpowered_areas_)
        if (std::find(areas.begin(), areas.end(), area) != areas.end()) return true;
    return false;
}

void FaultsFeature::on_status(const cabinet::MeterStatus& status) {
    const auto now = status.ts == SystemTime{} ? clock_.now() : status.ts;
    unpowered_areas_[status.meter] = status.unpowered_areas;
    auto meter = fault_meter_status(status);
    book_->observe(observe_meter(now, meter));
    if (status.areas.empty() || !status.active_power_w) return;

    // Expected power from the read-back of every luminaire the meter measures;
    // one unknown level makes the expectation unknown, so no judgement.
    std::vector<MeteredLoad> loads;
    bool targets_known = true;
    for (const auto& l : config_.luminaires) {
        if (std::find(status.areas.begin(), status.areas.end(), l.area) == status.areas.end()) continue;
        const auto& level = levels_.row_of(l);
        if (!level) return;
        loads.push_back({l.rated_w, *level});
        targets_known = targets_known && targets_.get(l.id).has_value();
    }
    if (loads.empty()) return;
    auto observations = observe_energy(now, meter, loads, book_->settings().detection);
    if (!targets_known) drop_target_rules(observations);
    book_->observe(observations);
}

void FaultsFeature::retry_held() {
    // Fallback for a write that failed without storage_failure noticing (its
    // probe is what normally triggers the retry).
    if (book_->held() > 0 && !storage_->fault()) book_->retry_held();
}

int FaultsFeature::prune() {
    int pruned = book_->prune();
    if (pruned > 0)
        spdlog::info("faults: pruned {} cleared fault(s) past the {}-day history", pruned,
                     config_.faults.history_days);
    return pruned;
}

}  // namespace lykta::faults
