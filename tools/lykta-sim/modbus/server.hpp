#pragma once
// The simulator's I/O: a Modbus TCP server (libmodbus, any number of
// clients), Modbus RTU on the master side of a pty pair (the gateway opens the
// slave side as its serial port), and the control interface on stdin and a
// loopback socket. One thread, one poll() loop; slow answers are deferred, so
// one slow unit never holds up the others.
#include <string>

namespace lykta::sim {

struct ServerOptions {
    std::string listen;  // "127.0.0.1:0" (a free port), empty for no TCP
    bool pty = false;    // also serve RTU on a pty pair
    std::string control = "127.0.0.1:0";
    int meter_unit = 1;
    int io_unit = 2;
};

// Prints "listening 127.0.0.1:PORT", "pty /dev/pts/N", "control 127.0.0.1:PORT"
// (those that apply, in that order) and serves until SIGTERM/SIGINT.
int serve(const ServerOptions& options);

}  // namespace lykta::sim
