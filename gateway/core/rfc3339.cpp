#include "gateway/core/rfc3339.hpp"

#include <cctype>

// Reading is hand-written from the ABNF: date::parse ("%FT%T%Ez") takes neither
// "t"/"z" in lower case nor an unbounded time-secfrac, and std::chrono's parse
// is not in GCC 12. Calendar arithmetic is Howard Hinnant's date.

namespace lykta {
namespace {

void fail(std::string* error, std::string message) {
    if (error) *error = std::move(message);
}

// `n` digits at `at`, or -1.
int digits(std::string_view s, std::size_t at, std::size_t n) {
    if (at + n > s.size()) return -1;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

}  // namespace

std::string rfc3339_utc(SystemTime t) {
    return date::format("%FT%TZ", date::floor<std::chrono::seconds>(t));
}

std::string rfc3339_utc_ms(SystemTime t) {
    return date::format("%FT%TZ", date::floor<std::chrono::milliseconds>(t));
}

std::optional<date::year_month_day> parse_full_date(std::string_view s, std::string* error) {
    // full-date = date-fullyear "-" date-month "-" date-mday (section 5.6)
    const int year = digits(s, 0, 4);
    const int month = digits(s, 5, 2);
    const int day = digits(s, 8, 2);
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || year < 0 || month < 0 || day < 0) {
        fail(error, quoted(s) + " is not a date (expected YYYY-MM-DD)");
        return std::nullopt;
    }
    if (month < 1 || month > 12) {
        fail(error, quoted(s) + " has month " + std::to_string(month) + " (expected 01..12)");
        return std::nullopt;
    }
    const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                   date::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) {  // date-mday 01-28/29/30/31 by month and leap year (section 5.7)
        fail(error, quoted(s) + " has no day " + std::to_string(day) + " in that month");
        return std::nullopt;
    }
    if (year < rfc3339_first_year || year > rfc3339_last_year) {
        fail(error, quoted(s) + " is outside the years " + std::to_string(rfc3339_first_year) + ".." +
                        std::to_string(rfc3339_last_year) + " the gateway can hold");
        return std::nullopt;
    }
    return ymd;
}

std::optional<SystemTime> parse_rfc3339(std::string_view s, std::string* error) {
    const std::string expected = " is not an RFC 3339 time (YYYY-MM-DDTHH:MM:SS[.fraction] and Z or ±HH:MM)";
    if (s.size() < 10) {
        fail(error, quoted(s) + expected);
        return std::nullopt;
    }
    std::string date_error;
    auto ymd = parse_full_date(s.substr(0, 10), &date_error);
    if (!ymd) {
        // "'YYYY-MM-DD' has no day ..." about the whole text.
        fail(error, s.size() == 10 || date_error.find(" is not a date") != std::string::npos
                        ? quoted(s) + expected
                        : quoted(s) + date_error.substr(12));
        return std::nullopt;
    }
    if (s.size() == 10 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) {
        fail(error, quoted(s) + expected);
        return std::nullopt;
    }
    // partial-time = time-hour ":" time-minute ":" time-second [time-secfrac]
    const int hh = digits(s, 11, 2);
    const int mm = digits(s, 14, 2);
    const int ss = digits(s, 17, 2);
    if (s.size() < 19 || s[13] != ':' || s[16] != ':' || hh < 0 || mm < 0 || ss < 0) {
        fail(error, quoted(s) + expected);
        return std::nullopt;
    }
    if (hh > 23 || mm > 59 || ss > 60) {
        fail(error, quoted(s) + " has an impossible time of day");
        return std::nullopt;
    }
    std::size_t i = 19;
    SystemTime::duration fraction{};
    if (i < s.size() && s[i] == '.') {
        const std::size_t start = ++i;
        // Digits past SystemTime's resolution are floored away.
        std::int64_t ticks = 0;
        std::int64_t scale = SystemTime::period::den / SystemTime::period::num;
        for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
            if (scale >= 10) {
                scale /= 10;
                ticks += (s[i] - '0') * scale;
            }
        }
        if (i == start) {
            fail(error, quoted(s) + " has no digits after the decimal point");
            return std::nullopt;
        }
        fraction = SystemTime::duration{ticks};
    }
    // time-offset = "Z" / time-numoffset; time-numoffset = ("+" / "-") time-hour ":" time-minute
    std::chrono::minutes offset{0};
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
        ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        const int oh = digits(s, i + 1, 2);
        const int om = digits(s, i + 4, 2);
        if (i + 6 > s.size() || s[i + 3] != ':' || oh < 0 || om < 0 || oh > 23 || om > 59) {
            fail(error, quoted(s) + " has a malformed UTC offset (expected Z or ±HH:MM)");
            return std::nullopt;
        }
        offset = std::chrono::minutes{(s[i] == '-' ? -1 : 1) * (oh * 60 + om)};
        i += 6;
    } else {
        fail(error, quoted(s) + " needs a UTC offset (Z or +HH:MM) after the time");
        return std::nullopt;
    }
    if (i != s.size()) {
        fail(error, quoted(s) + " has text after the time");
        return std::nullopt;
    }
    const auto minute = date::sys_days{*ymd} + std::chrono::hours{hh} + std::chrono::minutes{mm} - offset;
    if (ss == 60) {
        // Section 5.7: a leap second ends a UTC month (23:59:60Z on its last day).
        const auto next = minute + std::chrono::minutes{1};
        const date::year_month_day next_day{date::floor<date::days>(next)};
        if (next != date::floor<date::days>(next) || next_day.day() != date::day{1}) {
            fail(error, quoted(s) + " has second 60 outside the last minute of a UTC month");
            return std::nullopt;
        }
        return SystemTime{next} - SystemTime::duration{1};
    }
    return SystemTime{minute} + std::chrono::seconds{ss} + fraction;
}

}  // namespace lykta
