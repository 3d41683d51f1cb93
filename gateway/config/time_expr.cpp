#include "gateway/config/time_expr.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

namespace lykta::config {
namespace {

struct AstroName {
    std::string_view name;
    TimeExpr::Base base;
};

constexpr std::array astro_names{
    AstroName{"sunrise", TimeExpr::Base::sunrise},
    AstroName{"sunset", TimeExpr::Base::sunset},
    AstroName{"civil_dawn", TimeExpr::Base::civil_dawn},
    AstroName{"civil_dusk", TimeExpr::Base::civil_dusk},
};

bool fail(TimeExprError* error, std::string message, std::size_t offset) {
    if (error) *error = {std::move(message), static_cast<int>(offset)};
    return false;
}

bool read_digits(std::string_view s, std::size_t& i, int& value, std::size_t max_digits) {
    std::size_t start = i;
    value = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && i - start < max_digits) {
        value = value * 10 + (s[i] - '0');
        ++i;
    }
    return i > start;
}

// "+10m", "-1h", "+1h30m", "+90m"; whole string must be consumed.
bool parse_offset(std::string_view s, std::size_t i, int& minutes, TimeExprError* error) {
    if (i == s.size()) return true;
    int sign = 0;
    if (s[i] == '+') sign = 1;
    if (s[i] == '-') sign = -1;
    if (sign == 0) return fail(error, "expected '+' or '-' before an offset", i);
    ++i;
    bool any = false;
    int total = 0;
    while (i < s.size()) {
        int value = 0;
        std::size_t at = i;
        if (!read_digits(s, i, value, 4)) return fail(error, "expected a number in the offset", at);
        if (i == s.size()) return fail(error, "offset needs a unit: 'm' or 'h'", i);
        if (s[i] == 'm') {
            total += value;
        } else if (s[i] == 'h') {
            total += value * 60;
        } else {
            return fail(error, std::string("unknown offset unit '") + s[i] + "' (use 'm' or 'h')", i);
        }
        ++i;
        any = true;
    }
    if (!any) return fail(error, "empty offset", i);
    if (total > 12 * 60) return fail(error, "offset larger than 12h", 0);
    minutes = sign * total;
    return true;
}

}  // namespace

std::optional<int> parse_clock_minutes(std::string_view s) {
    std::size_t i = 0;
    int h = 0;
    int m = 0;
    if (!read_digits(s, i, h, 2) || i == s.size() || s[i] != ':') return std::nullopt;
    ++i;
    std::size_t mstart = i;
    if (!read_digits(s, i, m, 2) || i - mstart != 2 || i != s.size()) return std::nullopt;
    if (h > 23 || m > 59) return std::nullopt;
    return h * 60 + m;
}

namespace {

// "sun(" already matched at `i`; reads "E[, rising|setting])".
bool parse_sun_elevation(std::string_view s, std::size_t& i, TimeExpr& out, TimeExprError* error) {
    auto skip_spaces = [&] {
        while (i < s.size() && s[i] == ' ') ++i;
    };
    skip_spaces();
    const std::size_t number_at = i;
    bool negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
    int whole = 0;
    if (!read_digits(s, i, whole, 2)) return fail(error, "expected an elevation in degrees, e.g. sun(-3)", i);
    double value = whole;
    if (i < s.size() && s[i] == '.') {
        ++i;
        double scale = 0.1;
        const std::size_t frac_at = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && i - frac_at < 3) {
            value += (s[i] - '0') * scale;
            scale /= 10;
            ++i;
        }
        if (i == frac_at) return fail(error, "expected digits after the decimal point", i);
    }
    if (negative) value = -value;
    if (value < -20 || value > 20)
        return fail(error, "sun elevation must lie within -20..20 degrees", number_at);
    out.elevation_deg = value;
    skip_spaces();
    if (i < s.size() && s[i] == ',') {
        ++i;
        skip_spaces();
        const auto rest = s.substr(i);
        if (rest.substr(0, 6) == "rising") {
            out.direction = TimeExpr::Direction::rising;
            i += 6;
        } else if (rest.substr(0, 7) == "setting") {
            out.direction = TimeExpr::Direction::setting;
            i += 7;
        } else {
            return fail(error, "expected 'rising' or 'setting' after the elevation", i);
        }
        skip_spaces();
    }
    if (i >= s.size() || s[i] != ')') return fail(error, "expected ')' to close sun(...)", i);
    ++i;
    return true;
}

std::string elevation_text(double value) {
    char text[16];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

}  // namespace

std::optional<TimeExpr> parse_time_expr(std::string_view s, TimeExprError* error) {
    if (s.empty()) {
        fail(error, "empty time expression", 0);
        return std::nullopt;
    }
    if (std::isdigit(static_cast<unsigned char>(s[0]))) {
        if (auto m = parse_clock_minutes(s)) return TimeExpr{TimeExpr::Base::clock, *m};
        fail(error, "expected a clock time HH:MM (00:00..23:59)", 0);
        return std::nullopt;
    }
    if (s.substr(0, 4) == "sun(") {
        TimeExpr expr{TimeExpr::Base::sun_elevation, 0};
        std::size_t i = 4;
        if (!parse_sun_elevation(s, i, expr, error)) return std::nullopt;
        if (!parse_offset(s, i, expr.minutes, error)) return std::nullopt;
        return expr;
    }
    for (const auto& a : astro_names) {
        if (s.substr(0, a.name.size()) != a.name) continue;
        std::size_t i = a.name.size();
        if (i < s.size() && s[i] != '+' && s[i] != '-') continue;  // "sunset_x" is not "sunset"
        int offset = 0;
        if (!parse_offset(s, i, offset, error)) return std::nullopt;
        return TimeExpr{a.base, offset};
    }
    fail(error,
         "unknown time expression (expected HH:MM, sunrise, sunset, civil_dawn, civil_dusk or "
         "sun(ELEVATION[, rising|setting]), with an optional offset like +10m)",
         0);
    return std::nullopt;
}

std::string TimeExpr::to_string() const {
    auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
    if (base == Base::clock) return two(minutes / 60) + ":" + two(minutes % 60);
    std::string out;
    if (base == Base::sun_elevation) {
        out = "sun(" + elevation_text(elevation_deg);
        if (direction == Direction::rising) out += ", rising";
        if (direction == Direction::setting) out += ", setting";
        out += ")";
    }
    for (const auto& a : astro_names)
        if (a.base == base) out = std::string(a.name);
    if (minutes == 0) return out;
    int abs = minutes < 0 ? -minutes : minutes;
    out += minutes < 0 ? "-" : "+";
    if (abs % 60 == 0) return out + std::to_string(abs / 60) + "h";
    return out + std::to_string(abs) + "m";
}

}  // namespace lykta::config
