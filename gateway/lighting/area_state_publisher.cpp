#include "gateway/lighting/area_state_publisher.hpp"

#include "gateway/lighting/area_state.hpp"
#include "gateway/policy/policy_json.hpp"

namespace lykta::lighting {

AreaStatePublisher::AreaStatePublisher(const config::Config& config, Uplink& uplink, BusDown bus_down)
    : config_(config), uplink_(uplink), bus_down_(std::move(bus_down)), failed_(config.luminaires.size()) {
    std::map<std::string, std::size_t> area_index;
    for (const auto& a : config_.areas) {
        area_index[a.id] = areas_.size();
        areas_.push_back({&a, {}, {}, nullptr});
    }
    for (std::size_t i = 0; i < config_.luminaires.size(); ++i) {
        const auto& l = config_.luminaires[i];
        by_id_[l.id] = i;
        if (auto a = area_index.find(l.area); a != area_index.end()) {
            areas_[a->second].luminaires.push_back(i);
            areas_[a->second].buses.insert(l.bus);
        }
    }
}

void AreaStatePublisher::take(const luminaires::Sweep& sweep) {
    for (const auto& swept : sweep.luminaires)
        if (auto i = by_id_.find(swept.luminaire->id); i != by_id_.end()) failed_[i->second] = swept.failed;
}

void AreaStatePublisher::publish(const policy::PolicyInputs& inputs, SystemTime now,
                                 const std::set<std::string>* only) {
    for (auto& area : areas_) {
        if (only && !only->count(area.config->id)) continue;
        AreaFacts facts;
        facts.luminaires = static_cast<int>(area.luminaires.size());
        for (auto i : area.luminaires) facts.failed += failed_[i] ? 1 : 0;
        // Fail-safe: every bus of the area is known down, so the gear runs on its system failure level.
        facts.buses_down = !area.buses.empty();
        for (const auto& bus : area.buses) facts.buses_down = facts.buses_down && bus_down_(bus);
        auto payload = area_state_payload(inputs, *area.config, now, facts);
        ++built_;
        if (area.last == payload) continue;
        area.last = payload;
        payload["ts"] = policy::rfc3339_local(now, inputs.place);
        uplink_.publish_state("area/" + area.config->id + "/state", std::move(payload));
    }
}

}  // namespace lykta::lighting
