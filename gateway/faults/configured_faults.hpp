#pragma once
// Whether an active fault still belongs to the configuration in force. A
// reload (SIGHUP restarts the daemon with the new file) or an edited config at
// start may drop luminaires, buses, Modbus devices or areas; their faults are
// then retired (FaultBook::retire_if) instead of staying active forever. Pure.
#include "gateway/config/model.hpp"
#include "gateway/faults/fault.hpp"

namespace lykta::faults {

// False when the fault's area, or the luminaire/bus/meter/cabinet/area its
// target names, is not in `config`. Targets of kinds this room does not know
// (another room's prefix) are kept: not knowing is no reason to retire.
bool still_configured(const config::Config& config, const Fault& fault);

// True when the fault's luminaire is still configured but now in another area
// than the fault was raised in (the config moved it).
bool moved_area(const config::Config& config, const Fault& fault);

}  // namespace lykta::faults
