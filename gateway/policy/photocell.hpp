#pragma once
// Photocell gating: a lux sensor (or a photocell contact read as 0/high lux)
// on a cabinet input switches an area on and off, but only inside an astro
// window and with the astro clock as the fallback (docs/policy.md):
//
//   earliest_on .. latest_on     evening window: the sensor may switch on
//   latest_on .. earliest_off    night: lit whatever the sensor says
//   earliest_off .. latest_off   morning window: the sensor may switch off
//   otherwise                    day: unlit whatever the sensor says
//
// Inside a window the sensor has hysteresis (on below `on_below_lux`, off
// above `off_above_lux`) and a change must persist `confirm_s` (headlights,
// a passing cloud). A failed sensor (no reading, stale, input fault) or one
// that disagrees grossly with the sun for `disagree_s` (bright at sun below
// -6 degrees, dark at sun above +6) is ignored: the astro clock decides
// (lit between astro_on and astro_off), and `disagreement` asks for a fault.
// Pure: the caller keeps PhotocellState and feeds readings on virtual time.
#include <optional>
#include <string>

#include "gateway/core/clock.hpp"
#include "gateway/policy/place.hpp"

namespace lykta::policy {

struct PhotocellSettings {
    double on_below_lux = 30;
    double off_above_lux = 60;  // > on_below_lux: the hysteresis band
    double confirm_s = 60;
    double max_age_s = 120;    // an older reading counts as a failed sensor
    double bright_lux = 1000;  // at sun below -6 degrees this is a disagreement
    double dark_lux = 5;       // at sun above +6 degrees this is a disagreement
    double disagree_s = 1800;
};

struct PhotocellWindow {
    SystemTime earliest_on{}, latest_on{};
    SystemTime earliest_off{}, latest_off{};
    SystemTime astro_on{}, astro_off{};  // the fallback: lit in [astro_on, astro_off)
};

// The window of lighting night `night`: sunset(D) - before .. sunset(D) + after
// to switch on, sunrise(D+1) - before .. sunrise(D+1) + after to switch off;
// astro_on/off = sunset/sunrise. Polar night (no sunset: the sun stays down)
// opens at the night's start; midnight sun (the sun stays up) gives an empty
// window: unlit all night, like the sunset/sunrise profile steps.
PhotocellWindow photocell_window(const Place& place, date::local_days night, std::chrono::minutes before,
                                 std::chrono::minutes after);

struct PhotocellReading {
    std::optional<double> lux;     // none: no value (input fault, not configured)
    std::optional<SystemTime> at;  // when it was read
};

struct PhotocellState {
    bool lit = false;
    std::optional<SystemTime> pending_since;  // the sensor has asked for !lit since
    std::optional<SystemTime> disagree_since;
};

struct PhotocellDecision {
    enum class Basis { sensor, window, astro_fallback };
    bool lit = false;
    Basis basis = Basis::window;
    bool sensor_failed = false;
    bool disagreement = false;  // confirmed gross disagreement with the sun: raise a fault
    std::string reason;
    PhotocellState state;  // feed back into the next call
};

PhotocellDecision photocell_step(const PhotocellSettings& settings, const PhotocellWindow& window,
                                 const PhotocellState& state, const PhotocellReading& reading,
                                 double sun_elevation_deg, SystemTime t);

}  // namespace lykta::policy
