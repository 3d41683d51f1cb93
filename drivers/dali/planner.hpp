#pragma once
// The actuation planner: turns per-luminaire targets into as few DALI frames as
// the bus allows. A whole-bus change is one broadcast, a change that covers every
// member of a configured DALI group alike is one group frame, everything else goes
// per short address. Pure; the bus layout comes from the config (areas' dali_groups).
#include <cstdint>
#include <map>
#include <vector>

#include "drivers/dali/frame.hpp"

namespace lykta::dali {

struct BusLayout {
    std::vector<int> addresses;                  // configured short addresses on this bus
    std::map<int, std::vector<int>> groups;      // DALI group -> configured member addresses
    std::uint16_t groups_of(int address) const;  // bit g set when `address` belongs to group g
};

struct Target {
    int address = 0;
    double percent = 0;
    double fade_s = 0;
};

struct PlannedFrame {
    Address to;
    std::uint8_t level = 0;      // arc power level (logarithmic curve)
    std::uint8_t fade_code = 0;  // SET FADE TIME code the gear must hold for this DAPC
    std::vector<int> members;    // the configured addresses this frame reaches
    friend bool operator==(const PlannedFrame&, const PlannedFrame&) = default;
};

std::vector<PlannedFrame> plan_actuation(const std::vector<Target>& targets, const BusLayout& layout);

}  // namespace lykta::dali
