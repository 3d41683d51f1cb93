#include "gateway/faults/time_text.hpp"

#include <date/date.h>

#include <sstream>

namespace lykta::faults {

std::string rfc3339(SystemTime time) {
    return date::format("%FT%TZ", std::chrono::floor<std::chrono::seconds>(time));
}

std::optional<SystemTime> parse_rfc3339(std::string_view text) {
    std::string s(text);
    if (!s.empty() && (s.back() == 'Z' || s.back() == 'z')) s.replace(s.size() - 1, 1, "+00:00");
    std::istringstream in(s);
    date::sys_time<std::chrono::seconds> tp;
    in >> date::parse("%FT%T%Ez", tp);
    if (in.fail()) return std::nullopt;
    in.peek();
    if (!in.eof()) return std::nullopt;
    return SystemTime(tp);
}

std::int64_t unix_seconds(SystemTime time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

SystemTime from_unix_seconds(std::int64_t seconds) {
    return SystemTime(std::chrono::seconds(seconds));
}

}  // namespace lykta::faults
