#pragma once
// The simulator's runtime control language: one command per line, one answer
// line back ("ok", a value, or "error: ..."). Shared by stdin and the control socket.
#include <cstdint>
#include <optional>
#include <string>

#include "lykta-sim/dali/foxtron_server.hpp"
#include "lykta-sim/dali/sim_bus.hpp"

namespace lykta::sim {

std::string run_control_command(const std::string& line, dali::SimBus& bus, dali::FoxtronServer& server);
std::string control_help();
// "1,4" -> bits 1 and 4; "none" -> 0; nullopt when not groups 0..15.
std::optional<std::uint16_t> parse_group_list(const std::string& text);

}  // namespace lykta::sim
