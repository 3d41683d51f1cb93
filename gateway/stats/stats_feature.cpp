#include "gateway/stats/stats_feature.hpp"

#include <spdlog/spdlog.h>

#include "gateway/stats/energy_split.hpp"
#include "gateway/stats/stats_commands.hpp"

namespace lykta::stats {

StatsFeature::StatsFeature(Timers& timers, const config::Config& config, Uplink& uplink, store::Database& db,
                           const Clock& clock)
    : config_(config),
      uplink_(uplink),
      clock_(clock),
      recorder_(db, config.site.timezone, {config.statistics.lit_ok_ratio}),
      known_(config.luminaires),
      flush_job_(timers, "statistics: flush", seconds_to_duration(config.statistics.flush_s),
                 [this] { flush(); }) {
    uplink_.add_command("report/get", report_command(recorder_, clock_, [this] { return &config_; }));
}

void StatsFeature::start() {
    flush_job_.start();
}

void StatsFeature::stop() {
    flush_job_.stop();
    recorder_.flush(clock_.now());
}

void StatsFeature::on_sweep(const luminaires::Sweep& sweep) {
    const auto now = clock_.now();
    for (const auto& swept : sweep.luminaires) {
        auto* known = known_.find(swept.luminaire->id);
        if (!known) continue;
        // What burns: the luminaires room's verdict (none for a failed lamp or
        // gear, none while it does not answer). A light is only ever known for
        // gear that answered, so a dead bus or a contactor that is off leaves
        // nothing to take back here.
        known->level = swept.light;
        record(now, *known);
    }
}

void StatsFeature::on_targets(SystemTime at, const std::vector<lighting::LuminaireTarget>& targets) {
    for (const auto& t : targets) {
        auto* known = known_.find(t.luminaire);
        if (!known) continue;
        known->target = t.target;
        known->normal_level = t.normal_level;
        record(at, *known);
    }
}

void StatsFeature::on_safety(SystemTime at, const std::string& area, bool in_force) {
    recorder_.safety(at, area, in_force);
}

void StatsFeature::record(SystemTime t, Known& known) {
    // Unknown read-back counts as dark (docs/statistics.md): never invent light.
    const Recorded figures{known.level.value_or(0), known.target.value_or(0),
                           known.target ? known.normal_level : 0};
    if (known.recorded == figures) return;  // area and rated_w come from the config: fixed
    const auto& luminaire = known_.luminaire_of(known);
    recorder_.luminaire(t, LuminaireState{luminaire.id, luminaire.area, luminaire.rated_w, figures.level,
                                          figures.target, figures.normal_level});
    known.recorded = figures;
}

std::map<std::string, double> StatsFeature::estimated_w() const {
    std::map<std::string, double> out;
    for (const auto& known : known_)
        if (known.level) {
            const auto& l = known_.luminaire_of(known);
            out[l.area] += l.rated_w * *known.level / 100.0;
        }
    return out;
}

void StatsFeature::on_energy(const std::string& meter, const std::vector<std::string>& areas, double kwh,
                             SystemTime ts) {
    meter_kwh_[meter] = kwh;
    // The baseline survives restarts (saved with the figures it was credited
    // to), so what the meter counted while the daemon was down is credited to
    // the day of this reading. A meter never seen before starts its baseline
    // here; a counter that went back (meter replaced or reset) starts a new
    // one rather than a negative delta.
    const auto baseline = recorder_.meter_baseline(meter);
    const double delta = baseline ? kwh - *baseline : 0;
    if (baseline && delta == 0) return;
    recorder_.set_meter_baseline(meter, kwh);
    if (delta <= 0) return;
    for (const auto& [area, share] : split_energy(delta, areas, estimated_w()))
        recorder_.meter_energy(ts, area, share);
}

void StatsFeature::on_fault_raised(const AreaFault& fault) {
    recorder_.fault_raised(fault);
    flush_fault_counts();
}

void StatsFeature::on_fault_cleared(const AreaFault& fault) {
    recorder_.fault_cleared(fault);
    flush_fault_counts();
}

void StatsFeature::flush_fault_counts() {
    // The fault is already in the store; its count must not wait up to flush_s
    // for the timer, or a kill -9 right after the raise loses it while the
    // fault survives (tests/reliability/test_kill9_state.py). Faults are rare.
    try {
        recorder_.flush(clock_.now());
    } catch (const store::StoreError& e) {  // the store's failure listener raises storage_failure
        spdlog::error("statistics: cannot record a fault count: {}", e.what());
    }
}

nlohmann::json StatsFeature::telemetry() {
    auto counters = recorder_.telemetry(clock_.now());  // flushes first
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

void StatsFeature::flush() {
    for (auto& message : telemetry()) uplink_.publish_telemetry(std::move(message));
}

}  // namespace lykta::stats
