// lykta-sim: simulators of a DALI interface with its control gear and of
// Modbus cabinet devices, for tests, demos and benchmarks.
#include <cstring>
#include <iostream>

#include "lykta-sim/dali/run_dali.hpp"
#include "lykta-sim/fleet/run_fleet.hpp"
#include "lykta-sim/modbus/run_modbus.hpp"
#include "lykta/version.hpp"

namespace {
void usage(std::ostream& out) {
    out << "usage: lykta-sim dali|modbus|fleet [options]   (lykta-sim dali --help for the options)\n"
           "  dali     a DALI interface with up to 64 simulated control gear\n"
           "  modbus   Modbus TCP/RTU energy meter and cabinet I/O module\n"
           "  fleet    N simulated gateways on an MQTT broker (load tests)\n";
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        usage(std::cerr);
        return 2;
    }
    std::string verb = argv[1];
    if (verb == "--version" || verb == "-V") {
        std::cout << "lykta-sim " << lykta::version << "\n";
        return 0;
    }
    if (verb == "--help" || verb == "-h") {
        usage(std::cout);
        return 0;
    }
    if (verb == "dali") return lykta::sim::run_dali(argc - 1, argv + 1);
    if (verb == "modbus") return lykta::sim::run_modbus(argc - 1, argv + 1);
    if (verb == "fleet") return lykta::sim::run_fleet(argc - 1, argv + 1);
    std::cerr << "lykta-sim: unknown simulator '" << verb << "'\n";
    usage(std::cerr);
    return 2;
}
