#include "gateway/luminaires/sweep.hpp"

namespace lykta::luminaires {

bool gives_no_light(const dali::GearStatus& status) {
    return !status.available || status.lamp_failure || status.gear_failure;
}

Sweep make_sweep(const config::DaliBus& bus, const std::map<int, const config::Luminaire*>& by_address,
                 std::vector<dali::GearStatus> statuses, bool reachable) {
    Sweep sweep;
    sweep.bus = &bus;
    sweep.reachable = reachable;
    sweep.statuses = std::move(statuses);
    for (const auto& s : sweep.statuses) {
        auto it = by_address.find(s.address);
        if (it == by_address.end()) continue;  // gear the config does not know: commissioning's business
        SweptLuminaire l{it->second, s, gives_no_light(s), std::nullopt};
        if (s.available && s.percent) l.light = l.failed ? 0.0 : *s.percent;
        sweep.luminaires.push_back(std::move(l));
    }
    return sweep;
}

Sweep make_sweep(const config::Config& config, const config::DaliBus& bus,
                 std::vector<dali::GearStatus> statuses, bool reachable) {
    std::map<int, const config::Luminaire*> by_address;
    for (const auto& l : config.luminaires)
        if (l.bus == bus.id) by_address[l.address] = &l;
    return make_sweep(bus, by_address, std::move(statuses), reachable);
}

}  // namespace lykta::luminaires
