#include "gateway/faults/sweep_facts.hpp"

namespace lykta::faults {
namespace {

bool contains(const std::string& text, const char* what) {
    return text.find(what) != std::string::npos;
}

BusStatus bus_verdict(const std::string& bus, const std::vector<dali::GearStatus>& statuses, bool reachable) {
    BusStatus verdict{bus, true, true};
    if (reachable || statuses.empty()) return verdict;
    bool power_loss = false, interface_error = false;
    for (const auto& s : statuses) {
        power_loss = power_loss || contains(s.problem, "power loss");
        interface_error =
            interface_error || contains(s.problem, "interface") || contains(s.problem, "timeout");
    }
    // Bus power is only known while the interface answers: interface first.
    if (interface_error && !power_loss)
        verdict.interface_up = false;
    else if (power_loss)
        verdict.bus_powered = false;
    return verdict;
}

}  // namespace

SweepFacts sweep_facts(const luminaires::Sweep& sweep) {
    SweepFacts facts;
    facts.bus = bus_verdict(sweep.bus->id, sweep.statuses, sweep.reachable);
    const bool bus_ok = facts.bus.interface_up && facts.bus.bus_powered;
    for (const auto& swept : sweep.luminaires) {
        const auto& s = swept.status;
        GearStatus gear;
        gear.luminaire = swept.luminaire->id;
        gear.area = swept.luminaire->area;
        gear.available = s.available;
        gear.lamp_failure = s.lamp_failure;
        gear.gear_failure = s.gear_failure;
        gear.level = s.available ? s.percent : std::nullopt;
        gear.bus_ok = bus_ok;
        facts.gear.push_back({std::move(gear), swept.light});
    }
    return facts;
}

}  // namespace lykta::faults
