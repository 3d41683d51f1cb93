#include "gateway/stats/stats_recorder.hpp"

#include <algorithm>
#include <chrono>

#include "gateway/stats/stats_report.hpp"

namespace lykta::stats {
namespace {

double seconds_between(SystemTime a, SystemTime b) {
    return std::chrono::duration<double>(b - a).count();
}

}  // namespace

StatsRecorder::StatsRecorder(store::Database& db, std::string timezone, StatsSettings settings)
    : store_(db), calendar_(timezone), settings_(settings) {}

DayFigures& StatsRecorder::figures(const std::string& area, Day day) {
    auto key = std::make_pair(area, day);
    auto it = rows_.find(key);
    if (it == rows_.end()) it = rows_.emplace(key, store_.load(area, day).value_or(DayFigures{})).first;
    dirty_.insert(key);
    return it->second;
}

const StatsRecorder::DaySpan& StatsRecorder::day_span(SystemTime t) {
    if (!span_ || t < span_->start || t >= span_->end) {
        auto day = calendar_.day_of(t);
        span_ = DaySpan{day, calendar_.start_of(day), calendar_.end_of(day)};
    }
    return *span_;
}

template <class Add>
void StatsRecorder::split(SystemTime from, SystemTime to, Add add) {
    while (from < to) {
        auto span = day_span(from);
        auto piece_end = std::min(to, span.end);
        add(span.day, seconds_between(from, piece_end));
        from = piece_end;
    }
}

void StatsRecorder::account_luminaire(Tracked& tracked, SystemTime t) {
    if (t <= tracked.since) return;
    const auto& s = tracked.state;
    bool flagged = areas_[s.area].flagged;
    bool required = flagged && s.target > 0;
    bool ok = required && s.level >= settings_.lit_ok_ratio * s.target;
    split(tracked.since, t, [&](Day day, double secs) {
        auto& f = figures(s.area, day);
        f.estimated_wh += s.rated_w * s.level / 100.0 * secs / 3600.0;
        if (s.level > 0) f.burn_lum_s += secs;
        if (flagged) f.safety_extra_wh += s.rated_w * (s.target - s.normal_level) / 100.0 * secs / 3600.0;
        if (required) f.required_lum_s += secs;
        if (ok) f.lit_ok_lum_s += secs;
    });
    tracked.since = t;
}

void StatsRecorder::account_area(const std::string& area, AreaState& state, SystemTime t) {
    if (!state.started) {
        state.started = true;
        state.since = t;
        return;
    }
    if (t <= state.since) return;
    bool lit = state.lit > 0;
    split(state.since, t, [&](Day day, double secs) {
        auto& f = figures(area, day);
        if (lit) f.lit_s += secs;
        if (state.flagged) f.flagged_s += secs;
        if (state.flagged && lit) f.safety_s += secs;
    });
    state.since = t;
}

void StatsRecorder::account_area_members(const std::string& area, SystemTime t) {
    for (auto& [id, tracked] : luminaires_)
        if (tracked.state.area == area) account_luminaire(tracked, t);
}

void StatsRecorder::luminaire(SystemTime t, const LuminaireState& state) {
    auto it = luminaires_.find(state.luminaire);
    if (it != luminaires_.end()) {
        account_luminaire(it->second, t);
        auto& old_area = areas_[it->second.state.area];
        account_area(it->second.state.area, old_area, t);
        if (it->second.state.target > 0) --old_area.lit;
        it->second.state = state;
        it->second.since = std::max(it->second.since, t);
    } else {
        it = luminaires_.emplace(state.luminaire, Tracked{state, t}).first;
    }
    auto& area = areas_[state.area];
    account_area(state.area, area, t);
    if (state.target > 0) ++area.lit;
}

void StatsRecorder::forget_luminaire(SystemTime t, const std::string& luminaire) {
    auto it = luminaires_.find(luminaire);
    if (it == luminaires_.end()) return;
    account_luminaire(it->second, t);
    auto& area = areas_[it->second.state.area];
    account_area(it->second.state.area, area, t);
    if (it->second.state.target > 0) --area.lit;
    luminaires_.erase(it);
}

void StatsRecorder::safety(SystemTime t, const std::string& area, bool in_force) {
    auto& state = areas_[area];
    if (state.started && state.flagged == in_force) return;
    account_area_members(area, t);
    account_area(area, state, t);
    state.flagged = in_force;
}

void StatsRecorder::meter_energy(SystemTime t, const std::string& area, double kwh) {
    auto& f = figures(area, day_span(t).day);
    f.metered = true;
    f.metered_wh += kwh * 1000.0;
}

std::optional<double> StatsRecorder::meter_baseline(const std::string& meter) {
    if (auto it = baselines_.find(meter); it != baselines_.end()) return it->second;
    auto stored = store_.meter_baseline(meter);
    if (stored) baselines_[meter] = *stored;
    return stored;
}

void StatsRecorder::set_meter_baseline(const std::string& meter, double kwh) {
    baselines_[meter] = kwh;
    dirty_baselines_[meter] = kwh;
}

void StatsRecorder::fault_raised(const AreaFault& fault) {
    if (fault.area.empty()) return;
    ++figures(fault.area, calendar_.day_of(fault.raised)).faults_raised;
}

void StatsRecorder::fault_cleared(const AreaFault& fault) {
    if (fault.area.empty() || !fault.cleared) return;
    auto& f = figures(fault.area, calendar_.day_of(*fault.cleared));
    ++f.repairs;
    f.repair_s += std::max(0.0, seconds_between(fault.raised, *fault.cleared));
}

void StatsRecorder::flush(SystemTime t) {
    for (auto& [id, tracked] : luminaires_) account_luminaire(tracked, t);
    for (auto& [area, state] : areas_) account_area(area, state, t);
    std::vector<DayRow> rows;
    for (const auto& key : dirty_) rows.push_back({key.first, key.second, rows_[key]});
    store_.save(rows, dirty_baselines_);
    dirty_.clear();
    dirty_baselines_.clear();
    // Keep only the current day's rows in memory; older ones are final.
    auto today = calendar_.day_of(t);
    std::erase_if(rows_, [&](const auto& entry) { return entry.first.second < today; });
}

}  // namespace lykta::stats

namespace lykta::stats {

nlohmann::json StatsRecorder::telemetry(SystemTime t) {
    flush(t);
    auto today = calendar_.day_of(t);
    auto areas = nlohmann::json::object();
    for (const auto& [area, state] : areas_) {
        PeriodFigures p;
        if (auto f = store_.load(area, today)) p.add(*f);
        auto j = period_json(day_text(today), p);
        areas[area] = {{"lit_hours", j["lit_hours"]},         {"safety_hours", j["safety_hours"]},
                       {"burn_hours", j["burn_hours"]},       {"energy_kwh", j["energy_kwh"]},
                       {"energy_source", j["energy_source"]}, {"faults_raised", j["faults_raised"]}};
    }
    return {{"day", day_text(today)}, {"areas", std::move(areas)}};
}

}  // namespace lykta::stats
