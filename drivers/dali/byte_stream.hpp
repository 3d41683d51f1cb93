#pragma once
// Opening the byte streams DALI interfaces speak over, as one fd type for the
// loop: a TCP connection (connected, then released into a stream_descriptor)
// or a serial device / pty / hidraw node set to raw mode (or a Unix SOCK_SEQPACKET
// socket standing in for hidraw). Non-blocking.
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

namespace lykta::dali {

// Connects asynchronously; `done` gets an open descriptor or the error.
void connect_tcp(asio::io_context& io, const std::string& host, int port,
                 std::function<void(std::error_code, asio::posix::stream_descriptor)> done);

// Opens a character device non-blocking; `raw_tty` applies cfmakeraw when it is a tty.
std::error_code open_device(const std::string& path, bool raw_tty, asio::posix::stream_descriptor& out);

}  // namespace lykta::dali
