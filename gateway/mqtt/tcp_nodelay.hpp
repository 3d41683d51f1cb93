#pragma once
// Paho C has no option for TCP_NODELAY, and its sockets keep Nagle's algorithm
// on. A QoS 1 request is then answered with two small writes in a row (the
// PUBACK, then the response), and Nagle holds the second until the broker's
// delayed ACK arrives: about 40 ms per request on Linux. After each connect the
// link finds its own TCP socket to the broker and turns Nagle off.
namespace lykta::mqtt {

// Sets TCP_NODELAY on every TCP socket of this process whose peer port is
// `broker_port`; returns how many were changed. Linux (/proc/self/fd).
int disable_nagle_towards(int broker_port);

// The port in "tcp://host:port", "ssl://host:port/path", ...; 0 when absent.
int port_of_uri(const char* uri);

}  // namespace lykta::mqtt
