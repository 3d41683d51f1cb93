#pragma once
// A profile resolved on one lighting night (place.hpp): every step gets an
// instant, in profile order, following these rules (docs/policy.md):
//
// - Clock steps: HH:MM from 12:00 on are on the evening of date D, earlier
//   ones on the morning of D+1.
// - Evening astro steps (sunset, civil_dusk) use the sun of date D, morning
//   ones (sunrise, civil_dawn) the sun of D+1, plus their offset.
// - Sun-elevation steps "sun(E)" use the crossing of elevation E: setting on
//   the evening of D, rising on the morning of D+1. Without an explicit
//   direction a step is rising once the profile has reached its morning side,
//   i.e. when any step listed before it is a morning step (clock before 12:00,
//   sunrise, civil_dawn, a rising sun step) or another sun-elevation step;
//   otherwise setting. So `sun(-3): 100, 23:00: 50, sun(-3): 0` lights at
//   the evening crossing and switches off at the morning one.
// - When the sun does not cross the altitude: an evening event with the sun
//   always below it ("already dark", polar night) is taken as the night's
//   start; a morning event with the sun always above it ("already light",
//   polar day, light summer nights) also as the night's start; the other two
//   cases (no dusk under the midnight sun, no dawn in polar night) do not
//   occur and the step is dropped.
// - Instants are clamped into [night start, night end].
// - Monotone order: a step that would fall before the step listed before it
//   is moved to that step's instant, where it takes over (the later-listed
//   step wins a tie). So `22:00: 70` listed after `sunset` in June lights the
//   lamps at sunset already at 70, and `sunrise+10m: 0` after `05:30: 100` in
//   June switches off at 05:30 instead of leaving the lamps on all day.
// - A profile floor lifts every lit level (> 0) to at least the floor.
#include <optional>
#include <string>
#include <vector>

#include "gateway/config/model.hpp"
#include "gateway/policy/place.hpp"

namespace lykta::policy {

struct ResolvedStep {
    SystemTime at{};
    double level = 0;  // percent, after the floor
    double fade_s = 0;
    std::size_t step_index = 0;  // into Profile::steps
    config::TimeExpr expr;
    std::string note;  // why it is not where the expression says; empty when it is
};

struct Night {
    date::local_days date;
    SystemTime start{};
    SystemTime end{};
    std::vector<ResolvedStep> steps;  // ordered by `at` (non-decreasing)
};

Night resolve_night(const config::Profile& profile, const Place& place, date::local_days night);
// The same for a config site (looks the zone up; throws on an unknown zone).
Night resolve_night(const config::Profile& profile, const config::Site& site, date::local_days night);

// The level a resolved night gives at `t` (start <= t < end): the last step at
// or before t; before the night's first step, the level the previous night
// ended on (`previous` may be null: then dark, 0).
struct NightLevel {
    double level = 0;
    double fade_s = 0;
    std::optional<ResolvedStep> step;  // the governing step; none before any step
    bool carried_over = false;         // the step is the previous night's last one
    SystemTime next_change{};          // next step of this night after t, else the night's end
    // Part-night dark: the governing step is 0 while a lit step came before it
    // and another comes after it in the same night (`01:00: 0` ... `05:00: 100`).
    // Safety flags suppress it (area_levels.hpp); `lit_before` is the level
    // the night had before switching off.
    bool part_night_off = false;
    double lit_before = 0;
};
NightLevel level_in_night(const Night& night, const Night* previous, SystemTime t);

// Convenience for one profile on its own (the same profile every night).
NightLevel level_at(const config::Profile& profile, const Place& place, SystemTime t);
NightLevel level_at(const config::Profile& profile, const config::Site& site, SystemTime t);

}  // namespace lykta::policy
