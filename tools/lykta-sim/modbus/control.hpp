#pragma once
// The simulator's control language, one command per line, one reply line each
// ("ok ..." or "error ..."), read from stdin and from the control socket:
//   door open|closed          feedback auto|on|off      photocell on|off
//   offline UNIT | online UNIT                          (no response at all)
//   exception UNIT CODE       (answer with Modbus exception CODE; 0 clears)
//   slow UNIT MS              (answer MS milliseconds late; 0 clears)
//   ignore-writes UNIT on|off (acknowledge writes without applying them)
//   lux N                     (the lux sensor's reading, 0..200000)
//   hold | move               (freeze / resume the meter's values)
//   get UNIT                  (the unit's current values)
#include <string>

#include "lykta-sim/modbus/sim_devices.hpp"

namespace lykta::sim {

std::string apply_control(SimCabinet& cabinet, const std::string& line);

}  // namespace lykta::sim
