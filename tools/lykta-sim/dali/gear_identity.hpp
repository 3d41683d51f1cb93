#pragma once
// Asset data of the simulated gear (memory banks 0 and 1) and the control
// commands that change it, so tests can swap a gear as an installer would.
#include <optional>
#include <string>
#include <vector>

#include "lykta-sim/dali/sim_bus.hpp"

namespace lykta::sim {

// Gives every gear a driver GTIN from a small catalogue, a serial derived from
// `seed` and its position, and (three gear in four) part 251 luminaire data in
// bank 1; every fourth gear is a plain DALI-2 driver without bank 1.
void give_identities(dali::SimBus& bus, std::uint64_t seed);

// "swap A [GTIN]": another gear at short address A (new serial, and new luminaire
// data when it had any; a new GTIN when given). "identity? A": "identity A GTIN SERIAL BANK1".
// nullopt when `words` is neither command.
std::optional<std::string> run_identity_command(const std::vector<std::string>& words, dali::SimBus& bus);
std::string identity_help();

// A GTIN-13 with its GS1 check digit appended to the 12 given digits.
std::uint64_t gtin13(std::uint64_t first12);

}  // namespace lykta::sim
