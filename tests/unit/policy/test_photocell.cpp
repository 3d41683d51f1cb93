// Photocell gating on virtual time: window bounds, hysteresis, confirmation,
// fallback to the astro clock on a failed or contradicting sensor.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "gateway/policy/photocell.hpp"
#include "gateway/policy/solar.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;
using namespace std::chrono_literals;

namespace {

struct Run {
    PhotocellSettings settings;
    PhotocellWindow window;
    Place place = Place::of(bastad_site);
    PhotocellState state;
    std::optional<SystemTime> switched_on, switched_off;
    bool any_disagreement = false;
    PhotocellDecision last;

    // Steps every 10 s from `from` to `to`, lux given by `lux(t)` (none = no reading).
    template <class Lux>
    void run(SystemTime from, SystemTime to, Lux lux) {
        for (SystemTime t = from; t < to; t += 10s) {
            const std::optional<double> value = lux(t);
            PhotocellReading r{value, value ? std::optional<SystemTime>(t) : std::nullopt};
            last = photocell_step(settings, window, state, r,
                                  solar_elevation_deg(place.latitude, place.longitude, t), t);
            if (last.lit && !state.lit && !switched_on) switched_on = t;
            if (!last.lit && state.lit && !switched_off) switched_off = t;
            any_disagreement = any_disagreement || last.disagreement;
            state = last.state;
        }
    }
};

// A clear-sky-like lux curve: ~ 400 lx at sunset, tenfold per ~1.5 degrees.
double sky_lux(const Place& place, SystemTime t) {
    const double e = solar_elevation_deg(place.latitude, place.longitude, t);
    return std::clamp(400.0 * std::pow(10.0, (e + 0.8) / 1.5), 0.001, 100000.0);
}

}  // namespace

TEST_CASE("photocell switches on inside the evening window, after confirmation", "[photocell]") {
    Run r;
    const auto night = day(2025, 11, 10);
    r.window = photocell_window(r.place, night, 30min, 30min);
    const auto set = r.window.astro_on;
    r.run(set - 2h, set + 2h, [&](SystemTime t) { return sky_lux(r.place, t); });
    REQUIRE(r.switched_on);
    CHECK(*r.switched_on >= r.window.earliest_on);
    CHECK(*r.switched_on <= r.window.latest_on);
    CHECK(*r.switched_on > set);  // 30 lx comes after sunset on this curve
    CHECK(sky_lux(r.place, *r.switched_on - 60s) < r.settings.on_below_lux);
    CHECK(r.last.lit);
    CHECK_FALSE(r.any_disagreement);
}

TEST_CASE("a dark day (storm) lights no earlier than the window; a sensor stuck bright lights at its end",
          "[photocell]") {
    Run dark;
    dark.window = photocell_window(dark.place, day(2025, 11, 10), 30min, 30min);
    dark.run(dark.window.astro_on - 3h, dark.window.astro_on + 1h, [](SystemTime) { return 10.0; });
    REQUIRE(dark.switched_on);
    CHECK(*dark.switched_on >= dark.window.earliest_on);
    CHECK(*dark.switched_on < dark.window.earliest_on + 2min);  // + confirmation

    Run bright;
    bright.settings.bright_lux = 1e9;  // not a disagreement here, only "too bright"
    bright.window = dark.window;
    bright.run(bright.window.astro_on - 1h, bright.window.astro_on + 1h, [](SystemTime) { return 500.0; });
    REQUIRE(bright.switched_on);
    CHECK(*bright.switched_on >= bright.window.latest_on);
    CHECK(*bright.switched_on < bright.window.latest_on + 10s);
}

TEST_CASE("hysteresis: lux wandering inside the band and short flashes do not toggle", "[photocell]") {
    Run r;
    r.window = photocell_window(r.place, day(2025, 11, 10), 30min, 30min);
    const auto w = r.window;
    int toggles = 0;
    bool was = false;
    PhotocellState state;
    for (SystemTime t = w.earliest_on; t < w.latest_on; t += 10s) {
        const auto since = std::chrono::duration_cast<std::chrono::seconds>(t - w.earliest_on).count();
        double lux = 20 + 25 * (since % 300 < 150 ? 1 : 0);  // 20 / 45: on, then inside the band
        if (since > 600 && since % 600 < 30) lux = 900;      // 30 s headlights every 10 min
        const auto d = photocell_step(r.settings, w, state, {lux, t}, -2, t);
        toggles += d.lit != was;
        was = d.lit;
        state = d.state;
    }
    CHECK(toggles == 1);  // on once, never off again
    CHECK(was);
}

TEST_CASE("failed sensor: the astro clock decides", "[photocell][fallback]") {
    Run r;
    r.window = photocell_window(r.place, day(2025, 11, 10), 30min, 30min);
    r.run(r.window.astro_on - 1h, r.window.astro_on + 1h, [](SystemTime) { return std::optional<double>{}; });
    REQUIRE(r.switched_on);
    CHECK(*r.switched_on >= r.window.astro_on);
    CHECK(*r.switched_on < r.window.astro_on + 10s);
    CHECK(r.last.sensor_failed);
    CHECK(r.last.basis == PhotocellDecision::Basis::astro_fallback);
    CHECK_FALSE(r.any_disagreement);
    // A stale reading is a failed sensor too.
    const auto t = r.window.astro_on + 10min;
    const auto stale = photocell_step(r.settings, r.window, {}, {5.0, t - 10min}, -3, t);
    CHECK(stale.sensor_failed);
    CHECK(stale.lit);
}

TEST_CASE("gross disagreement: bright at night or dark at noon is a fault after a while",
          "[photocell][fallback]") {
    Run night;
    night.window = photocell_window(night.place, day(2025, 11, 10), 30min, 30min);
    const auto w = night.window;
    // A floodlight shines on the cell from 21:00: the window says lit anyway, and
    // after 30 min the disagreement is reported.
    const auto nine = local(night.place, 2025, 11, 10, 21, 0);
    night.run(nine, nine + 29min, [](SystemTime) { return 5000.0; });
    CHECK_FALSE(night.any_disagreement);
    night.run(nine + 29min, nine + 40min, [](SystemTime) { return 5000.0; });
    CHECK(night.any_disagreement);
    CHECK(night.last.lit);
    CHECK(night.last.basis == PhotocellDecision::Basis::astro_fallback);
    // The floodlight goes out: the sensor is believed again.
    night.run(nine + 40min, nine + 41min, [](SystemTime) { return 0.5; });
    CHECK_FALSE(night.last.disagreement);
    CHECK(night.last.basis == PhotocellDecision::Basis::window);
    CHECK(night.last.lit);
    // A covered cell at noon: disagreement, the astro clock keeps it unlit.
    Run covered;
    covered.window = w;
    const auto noon = local(covered.place, 2025, 11, 11, 12, 0);
    covered.run(noon - 1h, noon, [](SystemTime) { return 0.0; });
    CHECK(covered.any_disagreement);
    CHECK_FALSE(covered.last.lit);
}

TEST_CASE("midnight sun: the window is empty, never lit", "[photocell]") {
    const auto place = Place::of(kiruna_site);
    const auto w = photocell_window(place, day(2025, 6, 21), 30min, 30min);
    const auto t = local(place, 2025, 6, 22, 0, 30);
    const auto d = photocell_step({}, w, {}, {1.0, t}, 1, t);
    CHECK_FALSE(d.lit);
    CHECK(w.astro_on == w.astro_off);
}
