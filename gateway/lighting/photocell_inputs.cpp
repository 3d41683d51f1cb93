#include "gateway/lighting/photocell_inputs.hpp"

#include <algorithm>
#include <cmath>

#include "gateway/config/photocell_section.hpp"
#include "gateway/policy/policy_json.hpp"
#include "gateway/policy/solar.hpp"

namespace lykta::lighting {
namespace {

using namespace std::chrono_literals;

std::chrono::seconds whole_seconds(double s) {
    return std::chrono::seconds(static_cast<long long>(std::ceil(s)));
}

void earliest(std::optional<SystemTime>& into, SystemTime candidate, SystemTime now) {
    if (candidate > now && (!into || candidate < *into)) into = candidate;
}

bool same_verdict(const policy::PhotocellDecision& a, const policy::PhotocellDecision& b) {
    return a.lit == b.lit && a.basis == b.basis && a.sensor_failed == b.sensor_failed &&
           a.disagreement == b.disagreement;
}

}  // namespace

PhotocellInputs::PhotocellInputs(const config::Config& config, const policy::Place& place) : place_(place) {
    for (const auto& p : config.photocells) {
        Cell cell;
        cell.config = &p;
        cell.settings.on_below_lux = p.on_below_lux;
        cell.settings.off_above_lux = p.off_above_lux;
        cell.settings.confirm_s = p.confirm_s;
        cell.settings.max_age_s = config::photocell_max_age_s(p, config);
        cell.settings.bright_lux = p.bright_lux;
        cell.settings.dark_lux = p.dark_lux;
        cell.settings.disagree_s = p.disagree_s;
        cells_.push_back(std::move(cell));
    }
}

bool PhotocellInputs::take(const cabinet::MeterValues& status) {
    bool any = false;
    for (auto& cell : cells_) {
        if (cell.config->device != status.meter) continue;
        any = true;
        auto value = status.values.find(cell.config->value);
        if (!status.available || value == status.values.end()) {
            cell.reading = {};
            continue;
        }
        double lux = value->second.value;
        // A contact knows dark or light only: light reads as bright_lux, so a
        // contact stuck "light" at night is a disagreement like a lux sensor's.
        if (value->second.bit) {
            const bool closed = value->second.value != 0;
            lux = closed == cell.config->dark_when_closed ? 0.0 : cell.settings.bright_lux;
        }
        cell.reading = {lux, status.ts};
    }
    return any;
}

std::optional<SystemTime> PhotocellInputs::next_change(const Cell& cell, SystemTime now) const {
    std::optional<SystemTime> next;
    const auto& s = cell.settings;
    // Stale once older than max_age_s (strictly): one second past it.
    if (cell.reading.at) earliest(next, *cell.reading.at + whole_seconds(s.max_age_s) + 1s, now);
    if (cell.state.pending_since) earliest(next, *cell.state.pending_since + whole_seconds(s.confirm_s), now);
    if (cell.state.disagree_since)
        earliest(next, *cell.state.disagree_since + whole_seconds(s.disagree_s), now);
    const auto& w = cell.window;
    for (auto t : {w.earliest_on, w.latest_on, w.earliest_off, w.latest_off, w.astro_on, w.astro_off})
        earliest(next, t, now);
    // The next night brings a new window.
    earliest(next, place_.night_start(place_.night_of(now) + date::days{1}), now);
    return next;
}

PhotocellInputs::Step PhotocellInputs::step(SystemTime now) {
    Step out;
    const auto night = place_.night_of(now);
    const double elevation = policy::solar_elevation_deg(place_.latitude, place_.longitude, now);
    for (auto& cell : cells_) {
        if (cell.window_night != night) {
            cell.window =
                policy::photocell_window(place_, night, std::chrono::minutes(cell.config->window_before_min),
                                         std::chrono::minutes(cell.config->window_after_min));
            cell.window_night = night;
        }
        auto d = policy::photocell_step(cell.settings, cell.window, cell.state, cell.reading, elevation, now);
        cell.state = d.state;
        if (!cell.last || !same_verdict(*cell.last, d)) out.changed = true;
        if (!cell.reported || cell.reported_disagreement != d.disagreement) {
            disagreements_.push_back({cell.config->id, cell.config->areas, d.disagreement,
                                      d.disagreement
                                          ? "photocell '" + cell.config->id + "' (" + cell.config->device +
                                                "." + cell.config->value + "): " + d.reason
                                          : ""});
            cell.reported = true;
            cell.reported_disagreement = d.disagreement;
        }
        cell.last = d;
        const auto until = next_change(cell, now);
        if (until && (!out.next || *until < *out.next)) out.next = until;
        for (const auto& area : cell.config->areas) out.areas[area] = {cell.config->id, d, now, until};
    }
    return out;
}

void PhotocellInputs::shift(SystemTime::duration delta) {
    for (auto& cell : cells_) {
        if (cell.reading.at) *cell.reading.at += delta;
        if (cell.state.pending_since) *cell.state.pending_since += delta;
        if (cell.state.disagree_since) *cell.state.disagree_since += delta;
    }
}

std::vector<PhotocellInputs::Disagreement> PhotocellInputs::take_disagreements() {
    return std::exchange(disagreements_, {});
}

nlohmann::json PhotocellInputs::describe(const std::string& area) const {
    for (const auto& cell : cells_) {
        const auto& areas = cell.config->areas;
        if (std::find(areas.begin(), areas.end(), area) == areas.end()) continue;
        nlohmann::json out{
            {"id", cell.config->id},
            {"device", cell.config->device},
            {"value", cell.config->value},
            {"lux", cell.reading.lux ? nlohmann::json(*cell.reading.lux) : nlohmann::json()},
            {"read_at", cell.reading.at ? nlohmann::json(policy::rfc3339_local(*cell.reading.at, place_))
                                        : nlohmann::json()}};
        if (cell.last) {
            out["basis"] = policy::to_string(cell.last->basis);
            out["lit"] = cell.last->lit;
            out["sensor_failed"] = cell.last->sensor_failed;
            out["disagreement"] = cell.last->disagreement;
            out["reason"] = cell.last->reason;
        }
        return out;
    }
    return nullptr;
}

}  // namespace lykta::lighting
