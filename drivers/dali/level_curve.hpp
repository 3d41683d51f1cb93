#pragma once
// Arc power level (0..254) <-> light output percent. The standard logarithmic
// curve is X(n) = 10^((n-1)/(253/3) - 1) % for n = 1..254 (IEC 62386-102, checked
// against Beckhoff DALI_TO_PERCENT); DT6 gear may select a linear curve (part 207),
// X(n) = n/254 * 100 %. Level 0 is off on both curves.
#include <cstdint>

namespace lykta::dali {

enum class DimmingCurve : std::uint8_t { logarithmic = 0, linear = 1 };

double percent_from_level(std::uint8_t level, DimmingCurve curve = DimmingCurve::logarithmic);
// Nearest level; any positive percent gives at least level 1 (never "off" by rounding).
std::uint8_t level_from_percent(double percent, DimmingCurve curve = DimmingCurve::logarithmic);

// Fade time code for DTR0 of SET FADE TIME: T = 0.5 * sqrt(2^code) s for codes
// 1..15 (0.71 s .. 90.5 s); code 0 = no fade. Nearest code on the log scale.
std::uint8_t fade_time_code(double seconds);
double fade_time_seconds(std::uint8_t code);
// Fade rate in steps per second for SET FADE RATE codes 1..15: 506 / sqrt(2^code).
double fade_rate_steps_per_s(std::uint8_t code);

}  // namespace lykta::dali
