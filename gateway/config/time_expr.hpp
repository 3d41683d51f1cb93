#pragma once
// Time expressions used by profile steps and flags:
//   "HH:MM", "sunset", "sunrise", "civil_dusk", "civil_dawn", each astro one
//   with an optional offset "+10m" / "-1h" / "+1h30m";
//   "sun(E)" / "sun(E, rising)" / "sun(E, setting)": the instant the sun's
//   centre crosses elevation E degrees (geometric, -20..20), same offsets.
//   Without a direction the night model picks it by the step's position
//   (docs/policy.md, "Sun-elevation steps").
#include <optional>
#include <string>
#include <string_view>

namespace lykta::config {

struct TimeExpr {
    enum class Base { clock, sunrise, sunset, civil_dawn, civil_dusk, sun_elevation };
    enum class Direction { automatic, rising, setting };
    Base base = Base::clock;
    // clock: minutes after local midnight (0..1439); astro: signed offset in minutes.
    int minutes = 0;
    double elevation_deg = 0;                    // sun_elevation only
    Direction direction = Direction::automatic;  // sun_elevation only

    bool is_astro() const { return base != Base::clock; }
    std::string to_string() const;
    friend bool operator==(const TimeExpr&, const TimeExpr&) = default;
};

struct TimeExprError {
    std::string message;
    int offset = 0;  // character offset into the expression where it went wrong
};

// Parses one expression; on failure returns nullopt and fills `error`.
std::optional<TimeExpr> parse_time_expr(std::string_view text, TimeExprError* error = nullptr);

// "HH:MM" only (recurrence windows, calendar times).
std::optional<int> parse_clock_minutes(std::string_view text);

}  // namespace lykta::config
