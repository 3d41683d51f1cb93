#include "gateway/policy/photocell.hpp"

#include <algorithm>
#include <cstdio>

#include "gateway/policy/solar.hpp"

namespace lykta::policy {
namespace {

double seconds(SystemTime a, SystemTime b) {
    return std::chrono::duration<double>(a - b).count();
}

std::string lux_text(double lux) {
    char text[32];
    std::snprintf(text, sizeof text, "%g lx", lux);
    return text;
}

}  // namespace

PhotocellWindow photocell_window(const Place& place, date::local_days night, std::chrono::minutes before,
                                 std::chrono::minutes after) {
    const auto set = solar_event(place.latitude, place.longitude, *place.zone, night, SunEvent::sunset);
    const auto rise =
        solar_event(place.latitude, place.longitude, *place.zone, night + date::days{1}, SunEvent::sunrise);
    const SystemTime start = place.night_start(night);
    const SystemTime end = place.night_end(night);
    PhotocellWindow w;
    if (set.kind == SolarEvent::Kind::sun_always_above || rise.kind == SolarEvent::Kind::sun_always_above) {
        w.earliest_on = w.latest_on = w.earliest_off = w.latest_off = w.astro_on = w.astro_off = end;
        return w;
    }
    w.astro_on = set.occurs() ? set.time : start;
    w.astro_off = rise.occurs() ? rise.time : end;
    w.earliest_on = std::max(start, w.astro_on - before);
    w.latest_on = std::min(end, w.astro_on + after);
    w.earliest_off = std::max(w.latest_on, w.astro_off - before);
    w.latest_off = std::min(end, w.astro_off + after);
    return w;
}

PhotocellDecision photocell_step(const PhotocellSettings& s, const PhotocellWindow& w,
                                 const PhotocellState& state, const PhotocellReading& reading,
                                 double elevation, SystemTime t) {
    PhotocellDecision d;
    d.state = state;
    const bool astro_lit = t >= w.astro_on && t < w.astro_off;
    d.sensor_failed = !reading.lux || !reading.at || seconds(t, *reading.at) > s.max_age_s;

    if (!d.sensor_failed) {
        const double lux = *reading.lux;
        const bool gross = (elevation < -6 && lux >= s.bright_lux) || (elevation > 6 && lux <= s.dark_lux);
        if (!gross)
            d.state.disagree_since.reset();
        else if (!d.state.disagree_since)
            d.state.disagree_since = t;
        d.disagreement = d.state.disagree_since && seconds(t, *d.state.disagree_since) >= s.disagree_s;
    }
    if (d.sensor_failed || d.disagreement) {
        d.basis = PhotocellDecision::Basis::astro_fallback;
        d.lit = astro_lit;
        d.reason = std::string(d.sensor_failed
                                   ? "photocell failed (no recent reading)"
                                   : "photocell disagrees with the sun (" + lux_text(*reading.lux) + ")") +
                   ": astro clock, " + (astro_lit ? "lit" : "unlit");
        d.state.lit = d.lit;
        d.state.pending_since.reset();
        return d;
    }

    const bool evening = t >= w.earliest_on && t < w.latest_on;
    const bool morning = t >= w.earliest_off && t < w.latest_off;
    if (!evening && !morning) {
        d.basis = PhotocellDecision::Basis::window;
        d.lit = t >= w.latest_on && t < w.earliest_off;
        d.reason =
            d.lit ? "night: lit whatever the photocell says" : "day: unlit whatever the photocell says";
        d.state.lit = d.lit;
        d.state.pending_since.reset();
        return d;
    }
    const double lux = *reading.lux;
    bool want = state.lit;
    if (lux < s.on_below_lux) want = true;
    if (lux > s.off_above_lux) want = false;
    d.basis = PhotocellDecision::Basis::sensor;
    if (want == state.lit) {
        d.state.pending_since.reset();
    } else if (!state.pending_since) {
        d.state.pending_since = t;
    }
    if (want != state.lit && seconds(t, *d.state.pending_since) >= s.confirm_s) {
        d.state.lit = want;
        d.state.pending_since.reset();
    }
    d.lit = d.state.lit;
    d.reason = "photocell " + lux_text(lux) + " in the " + (evening ? "evening" : "morning") +
               " window: " + (d.lit ? "lit" : "unlit") + (d.state.pending_since ? " (change pending)" : "");
    return d;
}

}  // namespace lykta::policy
