// Placeholder until the dali simulator lands (its issue replaces this file).
#include "lykta-sim/dali/run_dali.hpp"

#include <iostream>

namespace lykta::sim {
int run_dali(int, char**) {
    std::cerr << "lykta-sim dali: not built yet\n";
    return 2;
}
}  // namespace lykta::sim
