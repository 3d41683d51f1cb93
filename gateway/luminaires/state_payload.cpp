#include "gateway/luminaires/state_payload.hpp"

#include <date/date.h>

#include <cmath>

namespace lykta::luminaires {

nlohmann::json state_payload(const config::Luminaire& l, const dali::GearStatus& s,
                             const dali::EnergyReading* e) {
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
    if (e) {
        if (e->energy_wh) p["energy_wh"] = *e->energy_wh;
        if (e->power_w) p["power_w"] = *e->power_w;
        if (e->operating_s) p["operating_h"] = std::round(*e->operating_s / 36.0) / 100;
        if (e->starts) p["starts"] = *e->starts;
    }
    return p;
}

}  // namespace lykta::luminaires
