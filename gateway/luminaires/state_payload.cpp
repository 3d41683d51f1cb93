#include "gateway/luminaires/state_payload.hpp"

#include <date/date.h>

#include <cmath>

namespace lykta::luminaires {

nlohmann::json state_payload(const config::Luminaire& l, const dali::GearStatus& s) {
    nlohmann::json p;
    if (s.percent)
        p["level"] = std::round(*s.percent * 10) / 10;  // one decimal is enough (API)
    else
        p["level"] = nullptr;
    p["target"] = nullptr;
    p["available"] = s.available;
    p["lamp_failure"] = s.lamp_failure;
    p["gear_failure"] = s.gear_failure;
    p["area"] = l.area;
    p["reason"] = nullptr;
    return p;
}

std::string rfc3339_utc(SystemTime t) {
    return date::format("%FT%TZ", std::chrono::time_point_cast<std::chrono::seconds>(t));
}

}  // namespace lykta::luminaires
