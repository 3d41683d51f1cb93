#pragma once
// One status sweep of a DALI bus as the luminaires room publishes it: the
// gear's raw answers, and for every configured luminaire among them the room's
// verdict on whether it gives light. "Lamp or gear failed" is decided here,
// once: the lighting room counts failed luminaires in the area state from it,
// the faults and statistics rooms take what burns from it; none reads the
// status bits for that again. Pure.
#include <map>
#include <optional>
#include <vector>

#include "drivers/dali/bus.hpp"
#include "gateway/config/model.hpp"

namespace lykta::luminaires {

struct SweptLuminaire {
    const config::Luminaire* luminaire = nullptr;
    dali::GearStatus status;
    // Gives no light whatever it was told: it did not answer, or it reports a
    // lamp failure or a control gear failure (IEC 62386-102:2014, 11.2.1
    // QUERY STATUS bits 1 and 0, as the bus decoded them).
    bool failed = false;
    // Percent of light it gives: 0 when it answers with a failure, its
    // read-back level otherwise; none while unknown (no answer, no level read).
    std::optional<double> light;
};

struct Sweep {
    const config::DaliBus* bus = nullptr;
    std::vector<dali::GearStatus> statuses;  // every answer, also of gear the config does not name
    bool reachable = true;                   // false when no gear answered (interface down, no bus power)
    std::vector<SweptLuminaire> luminaires;  // the configured ones among `statuses`, in sweep order
};

// The one rule: a gear that did not answer or reports a lamp or gear failure gives no light.
bool gives_no_light(const dali::GearStatus& status);

// The sweep of `bus` with its configured luminaires found by short address.
Sweep make_sweep(const config::DaliBus& bus, const std::map<int, const config::Luminaire*>& by_address,
                 std::vector<dali::GearStatus> statuses, bool reachable);
// The same with the luminaires looked up in `config` (tests, tools).
Sweep make_sweep(const config::Config& config, const config::DaliBus& bus,
                 std::vector<dali::GearStatus> statuses, bool reachable);

}  // namespace lykta::luminaires
