#pragma once
// D4i data read from memory banks (DiiA parts 252/253 via python-dali
// memory/energy.py, diagnostics.py): bank 202 active energy (0x04 scale, 0x05-0x0A
// 48-bit Wh) and power (0x0B scale, 0x0C-0x0F W); bank 205 operating time
// (0x04-0x07 s) and start counter (0x08-0x0A). Gear without the banks answer NO.
#include <cstdint>
#include <optional>
#include <vector>

#include "drivers/dali/scheduler.hpp"

namespace lykta::dali {

struct EnergyReading {
    int address = 0;
    std::optional<double> energy_wh;
    std::optional<double> power_w;
    std::optional<double> operating_s;
    std::optional<std::uint32_t> starts;
};

// Four jobs per gear, one per run of locations: DTR1 (bank), DTR0 (offset), then
// READ MEMORY LOCATION (auto-increment). A job holds the bus for at most 9 frames
// (≈ 0.4 s), so a light command waits at most that long behind energy reads; each
// job sets its own DTRs, so commands in between cannot disturb it. No latch: a
// counter may tick between its bytes (documented in docs/dali.md).
std::vector<std::vector<Step>> energy_read_jobs(int address);
// From the replies of energy_read_jobs' jobs, concatenated in order.
EnergyReading decode_energy_read(int address, const std::vector<Reply>& replies);

}  // namespace lykta::dali
