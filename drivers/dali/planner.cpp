#include "drivers/dali/planner.hpp"

#include <algorithm>
#include <set>

#include "drivers/dali/level_curve.hpp"

namespace lykta::dali {

std::uint16_t BusLayout::groups_of(int address) const {
    std::uint16_t mask = 0;
    for (const auto& [g, members] : groups)
        if (std::find(members.begin(), members.end(), address) != members.end())
            mask = static_cast<std::uint16_t>(mask | 1u << g);
    return mask;
}

std::vector<PlannedFrame> plan_actuation(const std::vector<Target>& targets, const BusLayout& layout) {
    // What each address should get, as frame values (two percents that map to the
    // same level and fade code are the same command). A later target for an address wins.
    std::map<int, std::pair<std::uint8_t, std::uint8_t>> wanted;
    for (const auto& t : targets)
        wanted[t.address] = {level_from_percent(t.percent), fade_time_code(t.fade_s)};
    std::vector<PlannedFrame> out;
    if (wanted.empty()) return out;

    // Broadcast: every configured address targeted alike (and nothing else on the bus).
    const auto first = wanted.begin()->second;
    const bool all_same =
        std::all_of(wanted.begin(), wanted.end(), [&](auto& w) { return w.second == first; });
    const bool covers_bus = !layout.addresses.empty() && wanted.size() == layout.addresses.size() &&
                            std::all_of(layout.addresses.begin(), layout.addresses.end(),
                                        [&](int a) { return wanted.count(a) > 0; });
    if (all_same && covers_bus) {
        std::vector<int> members;
        for (auto& [a, _] : wanted) members.push_back(a);
        out.push_back({Address::broadcast(), first.first, first.second, members});
        return out;
    }

    // Groups whose members are all targeted alike; larger groups first so they absorb most.
    std::vector<std::pair<int, const std::vector<int>*>> groups;
    for (const auto& [g, members] : layout.groups)
        if (!members.empty()) groups.push_back({g, &members});
    std::stable_sort(groups.begin(), groups.end(),
                     [](auto& a, auto& b) { return a.second->size() > b.second->size(); });
    std::set<int> covered;
    for (const auto& [g, members] : groups) {
        auto it = wanted.find(members->front());
        if (it == wanted.end()) continue;
        const auto value = it->second;
        const bool uniform = std::all_of(members->begin(), members->end(), [&](int a) {
            auto w = wanted.find(a);
            return w != wanted.end() && w->second == value;
        });
        const bool adds_something =
            std::any_of(members->begin(), members->end(), [&](int a) { return !covered.count(a); });
        if (!uniform || !adds_something) continue;
        out.push_back({Address::group(g), value.first, value.second, *members});
        covered.insert(members->begin(), members->end());
    }
    for (const auto& [a, value] : wanted)
        if (!covered.count(a)) out.push_back({Address::short_address(a), value.first, value.second, {a}});
    return out;
}

}  // namespace lykta::dali
