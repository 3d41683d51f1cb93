#include "gateway/stats/energy_split.hpp"

namespace lykta::stats {

std::map<std::string, double> split_energy(double kwh, const std::vector<std::string>& areas,
                                           const std::map<std::string, double>& estimated_w) {
    std::map<std::string, double> out;
    if (areas.empty()) return out;
    double total = 0;
    for (const auto& a : areas)
        if (auto it = estimated_w.find(a); it != estimated_w.end() && it->second > 0) total += it->second;
    for (const auto& a : areas) {
        if (total <= 0) {
            out[a] += kwh / static_cast<double>(areas.size());
            continue;
        }
        auto it = estimated_w.find(a);
        double w = it == estimated_w.end() || it->second < 0 ? 0 : it->second;
        out[a] += kwh * w / total;
    }
    return out;
}

}  // namespace lykta::stats
