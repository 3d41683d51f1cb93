#include "gateway/lighting/actuator.hpp"

#include <cmath>

namespace lykta::lighting {
namespace {
// Two target levels closer than this are the same DALI arc level anyway.
constexpr double level_epsilon = 0.05;
}  // namespace

Actuator::Actuator(const config::Config& config, luminaires::LuminairesFeature& luminaires)
    : config_(config), luminaires_(luminaires) {}

Actuator::~Actuator() {
    *alive_ = false;
}

bool Actuator::bus_down(const std::string& bus_id) const {
    auto r = reachable_.find(bus_id);
    return r != reachable_.end() && !r->second;
}

std::optional<double> Actuator::sent(const std::string& luminaire_id) const {
    auto s = sent_.find(luminaire_id);
    if (s == sent_.end() || s->second.level < 0) return std::nullopt;
    return s->second.level;
}

void Actuator::send_changed(const std::vector<policy::Decision>& decisions,
                            const std::set<std::string>& force, Done done) {
    std::vector<std::pair<std::size_t, const policy::Decision*>> sends;
    for (std::size_t i = 0; i < decisions.size() && i < config_.luminaires.size(); ++i) {
        const auto& l = config_.luminaires[i];
        const auto& d = decisions[i];
        const bool forced = force.count(l.id) > 0;
        auto sent = sent_.find(l.id);
        const bool same = sent != sent_.end() && std::abs(sent->second.level - d.level) <= level_epsilon;
        if (same && !forced) continue;
        if (bus_down(l.bus) && !forced) continue;  // sent again when the bus answers (bus ready)
        sends.emplace_back(i, &d);
    }
    send(sends, std::move(done));
}

void Actuator::send(const std::vector<policy::Decision>& decisions, const std::vector<std::size_t>& indices,
                    Done done) {
    std::vector<std::pair<std::size_t, const policy::Decision*>> sends;
    for (auto i : indices)
        if (i < decisions.size() && i < config_.luminaires.size()) sends.emplace_back(i, &decisions[i]);
    send(sends, std::move(done));
}

void Actuator::send(const std::vector<std::pair<std::size_t, const policy::Decision*>>& sends, Done done) {
    std::map<std::string, std::vector<dali::Target>> by_bus;
    std::map<std::string, std::map<int, std::string>> ids;  // bus -> address -> luminaire
    for (const auto& [i, d] : sends) {
        const auto& l = config_.luminaires[i];
        sent_[l.id] = {d->level, d->fade_s};
        by_bus[l.bus].push_back({l.address, d->level, d->fade_s});
        ids[l.bus][l.address] = l.id;
    }
    if (by_bus.empty()) {
        if (done) done({});
        return;
    }
    struct Pending {
        std::size_t buses = 0;
        Levels levels;
        Done done;
    };
    auto pending = std::make_shared<Pending>();
    pending->buses = by_bus.size();
    pending->done = std::move(done);
    std::weak_ptr<bool> alive = alive_;
    for (auto& [bus, targets] : by_bus) {
        luminaires_.apply(bus, std::move(targets),
                          [this, alive, pending, names = ids[bus]](std::vector<dali::GearStatus> statuses) {
                              if (auto a = alive.lock(); !a || !*a) return;
                              for (const auto& s : statuses) {
                                  auto id = names.find(s.address);
                                  if (id == names.end()) continue;
                                  pending->levels[id->second] = s.percent;
                                  // Not heard: unknown whether it took the level; send it next time.
                                  if (!s.available) sent_[id->second].level = -1;
                              }
                              if (--pending->buses == 0 && pending->done) pending->done(pending->levels);
                          });
    }
}

}  // namespace lykta::lighting
