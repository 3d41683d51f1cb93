#include "drivers/dali/level_curve.hpp"

#include <algorithm>
#include <cmath>

namespace lykta::dali {

double percent_from_level(std::uint8_t level, DimmingCurve curve) {
    if (level == 0) return 0;
    const double n = std::min<int>(level, 254);
    if (curve == DimmingCurve::linear) return n / 254.0 * 100.0;
    return std::pow(10.0, (n - 1.0) / (253.0 / 3.0) - 1.0);
}

std::uint8_t level_from_percent(double percent, DimmingCurve curve) {
    if (!(percent > 0)) return 0;
    if (percent >= 100) return 254;
    double n = curve == DimmingCurve::linear ? percent * 254.0 / 100.0
                                             : 1.0 + (253.0 / 3.0) * (std::log10(percent) + 1.0);
    return static_cast<std::uint8_t>(std::clamp(std::lround(n), 1L, 254L));
}

std::uint8_t fade_time_code(double seconds) {
    if (!(seconds > 0.35)) return 0;  // below half of the shortest fade: jump
    const double code = 2.0 * std::log2(2.0 * seconds);
    return static_cast<std::uint8_t>(std::clamp(std::lround(code), 1L, 15L));
}

double fade_time_seconds(std::uint8_t code) {
    if (code == 0) return 0;
    return 0.5 * std::sqrt(std::pow(2.0, std::min<int>(code, 15)));
}

double fade_rate_steps_per_s(std::uint8_t code) {
    return 506.0 / std::sqrt(std::pow(2.0, std::clamp<int>(code, 1, 15)));
}

}  // namespace lykta::dali
