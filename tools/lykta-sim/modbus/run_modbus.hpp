#pragma once
namespace lykta::sim {
// Entry point of `lykta-sim modbus`; argv[0] is "modbus".
int run_modbus(int argc, char** argv);
}  // namespace lykta::sim
