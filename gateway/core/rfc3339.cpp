#include "gateway/core/rfc3339.hpp"

// GCC 12 at -O2 warns that date::parse's seconds (`long double S` in date.h) "may
// be used uninitialized" once inlined here: a false positive inside the library
// (it is read only after a successful parse). The pragma must precede date.h.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <date/date.h>

#include <sstream>

namespace lykta {

std::string rfc3339_utc(SystemTime t) {
    return date::format("%FT%TZ", date::floor<std::chrono::seconds>(t));
}

std::string rfc3339_utc_ms(SystemTime t) {
    return date::format("%FT%TZ", date::floor<std::chrono::milliseconds>(t));
}

std::optional<SystemTime> parse_rfc3339(std::string_view text) {
    std::string s(text);
    // RFC 3339 section 5.6 allows lower-case "t" and "z".
    if (s.size() > 10 && s[10] == 't') s[10] = 'T';
    if (!s.empty() && (s.back() == 'Z' || s.back() == 'z')) s.replace(s.size() - 1, 1, "+00:00");
    std::istringstream in(s);
    date::sys_time<std::chrono::seconds> tp;
    in >> date::parse("%FT%T%Ez", tp);
    if (in.fail()) return std::nullopt;
    in.peek();
    if (!in.eof()) return std::nullopt;
    return SystemTime(tp);
}

}  // namespace lykta
