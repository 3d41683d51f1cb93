// Any byte string given to the RFC 3339 parser (every time a command or the
// config takes) yields an instant or a reason, never a crash, hang or
// sanitizer report; an instant read back from what it writes is the same one.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gateway/core/rfc3339.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::string error;
    auto t = lykta::parse_rfc3339(text, &error);
    if (t.has_value() == !error.empty()) __builtin_trap();  // exactly one of them
    if (t) {
        // Only years 0000-9999 are written back as RFC 3339 full-date (4DIGIT).
        const auto year = date::year_month_day{date::floor<date::days>(*t)}.year();
        if (year >= date::year{0} && year <= date::year{9999}) {
            const auto second = date::floor<std::chrono::seconds>(*t);
            if (lykta::parse_rfc3339(lykta::rfc3339_utc(*t)) != lykta::SystemTime{second}) __builtin_trap();
        }
    }
    std::string date_error;
    if (lykta::parse_full_date(text, &date_error).has_value() == !date_error.empty()) __builtin_trap();
    return 0;
}
