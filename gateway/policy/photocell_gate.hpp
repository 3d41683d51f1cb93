#pragma once
// Photocell gating applied to an area's schedule (docs/policy.md, "Photocell
// gating"). The daemon steps each photocell on its readings (photocell_step)
// and puts the verdict per area into PolicyInputs; arbitration applies it to
// the schedule layer, below safety flags, overrides and maintenance:
//
//   basis sensor, lit     the schedule's level when it is lit, else the level of
//                         the night's nearest lit step: the evening's first one
//                         before the schedule lights, the last one after it
//                         switched off in the morning
//   basis sensor, unlit   0
//   window, astro_fallback  the schedule unchanged: its own astro steps are
//                         the astro clock the photocell falls back to
//
// A part-night off stays off and a night without a lit step (calendar
// disable, dark profile) stays dark: the sensor moves the switching instants,
// never what the schedule means. Pure.
#include <optional>
#include <string>

#include "gateway/config/model.hpp"
#include "gateway/policy/area_levels.hpp"
#include "gateway/policy/night_cache.hpp"
#include "gateway/policy/photocell.hpp"

namespace lykta::policy {

// An area's photocell verdict as the daemon made it at `at`; it holds until
// `until` (the next reading may change it, a confirmation or a window bound
// falls due), none = until replaced.
struct AreaPhotocell {
    std::string photocell;  // config id
    PhotocellDecision verdict;
    SystemTime at{};
    std::optional<SystemTime> until;
    bool holds_at(SystemTime t) const { return t >= at && (!until || t < *until); }
};

struct GatedSchedule {
    bool gated = false;  // the sensor decided the level (basis sensor)
    double level = 0;
    double fade_s = 0;
    std::string detail;  // for explain; empty when no verdict holds at t
};

GatedSchedule gate_schedule(const AreaPhotocell& photocell, const ScheduleLevel& schedule, const Place& place,
                            SystemTime t, NightCache* cache);

// "sensor", "window", "astro_fallback"
const char* to_string(PhotocellDecision::Basis basis);

}  // namespace lykta::policy
