// `lykta-sim modbus`: an SDM630 energy meter and an 8-channel relay/DI module
// behind Modbus TCP and/or Modbus RTU on a pty pair, with injectable faults.
#include "lykta-sim/modbus/run_modbus.hpp"

#include <CLI/CLI.hpp>

#include "lykta-sim/modbus/server.hpp"

namespace lykta::sim {

int run_modbus(int argc, char** argv) {
    CLI::App cli{
        "lykta-sim modbus: simulated SDM630 meter and relay/DI module (Modbus TCP and RTU over a pty)",
        "lykta-sim modbus"};
    ServerOptions options;
    bool pty = false;
    cli.add_option("--listen", options.listen, "Modbus TCP on HOST:PORT (port 0: a free one; printed first)");
    cli.add_flag("--pty", pty,
                 "Also serve Modbus RTU on the master side of a pty pair (prints 'pty /dev/pts/N')");
    cli.add_option("--control", options.control, "Control socket HOST:PORT (port 0: a free one)")
        ->capture_default_str();
    cli.add_option("--meter-unit", options.meter_unit, "Unit id of the SDM630")->capture_default_str();
    cli.add_option("--io-unit", options.io_unit, "Unit id of the relay/DI module")->capture_default_str();
    cli.footer(
        "Control (stdin or the control socket, one command per line):\n"
        "  door open|closed, feedback auto|on|off, photocell on|off, offline UNIT, online UNIT,\n"
        "  exception UNIT CODE (0 clears), slow UNIT MS (0 clears), ignore-writes UNIT on|off,\n"
        "  multiple-writes-only UNIT on|off,\n"
        "  hold, move, get UNIT, lux N (the lux sensor at unit 3, 0..200000)");
    CLI11_PARSE(cli, argc, argv);
    options.pty = pty;
    if (options.listen.empty() && !pty) options.listen = "127.0.0.1:1502";
    return serve(options);
}

}  // namespace lykta::sim
