// Placeholder until the modbus simulator lands (its issue replaces this file).
#include "lykta-sim/modbus/run_modbus.hpp"

#include <iostream>

namespace lykta::sim {
int run_modbus(int, char**) {
    std::cerr << "lykta-sim modbus: not built yet\n";
    return 2;
}
}  // namespace lykta::sim
