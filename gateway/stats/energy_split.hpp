#pragma once
// A meter's energy delta split over the areas it measures, for the day rows
// of each area (docs/statistics.md, "Meters"). Pure.
#include <map>
#include <string>
#include <vector>

namespace lykta::stats {

// Splits `kwh` over `areas` in proportion to each area's estimated power (W,
// from the read-back levels); evenly when nothing is known to burn. One area
// takes it all. Areas absent from `estimated_w` count as 0 W.
std::map<std::string, double> split_energy(double kwh, const std::vector<std::string>& areas,
                                           const std::map<std::string, double>& estimated_w);

}  // namespace lykta::stats
