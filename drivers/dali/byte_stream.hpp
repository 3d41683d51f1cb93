#pragma once
// Opening the byte streams DALI interfaces speak over, as one fd type for the
// loop: a TCP connection (connected, then released into a stream_descriptor)
// or a serial device / pty / hidraw node (a tty is set to raw mode, and to the
// interface's serial line when it has one), or a Unix SOCK_SEQPACKET socket
// standing in for hidraw. Non-blocking.
#include <termios.h>

#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

namespace lykta::dali {

// A serial line as an interface's maker specifies it: 8 data bits, 1 stop bit,
// no flow control, and these.
struct SerialLine {
    enum class Parity { none, even, odd };
    unsigned baud = 0;
    Parity parity = Parity::none;
    bool dtr = false;  // raise DTR (some converters take their power from it)
};

// Connects asynchronously; `done` gets an open descriptor or the error.
void connect_tcp(asio::io_context& io, const std::string& host, int port,
                 std::function<void(std::error_code, asio::posix::stream_descriptor)> done);

// Opens a character device non-blocking. A tty is put in raw mode and, with
// `line`, set to it (an error when the port refuses it).
std::error_code open_device(const std::string& path, const std::optional<SerialLine>& line,
                            asio::posix::stream_descriptor& out);

// Raw mode and `line` written into `t` (8 data bits, 1 stop bit, no hardware or
// software flow control). False for a speed it does not know.
bool set_serial_line(termios& t, const SerialLine& line);

// `line` on an open tty, read back to check it took, then DTR raised through
// `modem_ioctl` (::ioctl by default; a test passes a recorder). A Linux pty
// keeps no parity (the kernel clears PARENB) and has no modem lines: there the
// parity is not checked and DTR is skipped (`dtr_applied` false).
struct SerialSetup {
    std::error_code error;
    bool dtr_applied = false;
};
using ModemIoctl = int (*)(int fd, unsigned long request, ...);
SerialSetup configure_serial_line(int fd, const SerialLine& line, ModemIoctl modem_ioctl = nullptr);

}  // namespace lykta::dali
