#include "drivers/dali/byte_stream.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <cstring>

namespace lykta::dali {

void connect_tcp(asio::io_context& io, const std::string& host, int port,
                 std::function<void(std::error_code, asio::posix::stream_descriptor)> done) {
    auto resolver = std::make_shared<asio::ip::tcp::resolver>(io);
    auto socket = std::make_shared<asio::ip::tcp::socket>(io);
    resolver->async_resolve(host, std::to_string(port),
                            [&io, resolver, socket, done = std::move(done)](
                                std::error_code ec, asio::ip::tcp::resolver::results_type r) {
                                if (ec) return done(ec, asio::posix::stream_descriptor(io));
                                asio::async_connect(
                                    *socket, r,
                                    [&io, socket, done](std::error_code ec2, const asio::ip::tcp::endpoint&) {
                                        asio::posix::stream_descriptor fd(io);
                                        if (!ec2) {
                                            socket->set_option(asio::ip::tcp::no_delay(true), ec2);
                                            ec2 = {};
                                            fd.assign(socket->release());
                                        }
                                        done(ec2, std::move(fd));
                                    });
                            });
}

namespace {
// A Unix SOCK_SEQPACKET socket stands in for a hidraw node (lykta-sim dali --hasseb,
// tests): like hidraw it keeps message boundaries, one report per read.
int connect_seqpacket(const std::string& path) {
    sockaddr_un addr{};
    if (path.size() >= sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    int fd = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
        const int e = errno;
        ::close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

speed_t speed_constant(unsigned baud) {
    switch (baud) {
        case 9600:
            return B9600;
        case 19200:
            return B19200;
        case 38400:
            return B38400;
        case 57600:
            return B57600;
        case 115200:
            return B115200;
        default:
            return B0;
    }
}
}  // namespace

bool set_serial_line(termios& t, const SerialLine& line) {
    const speed_t speed = speed_constant(line.baud);
    if (speed == B0) return false;
    ::cfmakeraw(&t);  // also 8 data bits
    t.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | CRTSCTS | PARENB | PARODD);
    t.c_cflag |= CLOCAL | CREAD;
    if (line.parity != SerialLine::Parity::none) t.c_cflag |= PARENB;
    if (line.parity == SerialLine::Parity::odd) t.c_cflag |= PARODD;
    t.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
    ::cfsetispeed(&t, speed);
    ::cfsetospeed(&t, speed);
    return true;
}

namespace {
// Linux pty slaves (UNIX98_PTY_SLAVE_MAJOR 136, 8 majors): the kernel's
// pty_set_termios clears PARENB and keeps CS8, and a pty has no modem lines.
bool is_pty(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && major(st.st_rdev) >= 136 && major(st.st_rdev) < 144;
}
}  // namespace

SerialSetup configure_serial_line(int fd, const SerialLine& line, ModemIoctl modem_ioctl) {
    SerialSetup result;
    termios t{};
    if (::tcgetattr(fd, &t) != 0) {
        result.error = {errno, std::system_category()};
        return result;
    }
    if (!set_serial_line(t, line)) {
        result.error = std::make_error_code(std::errc::invalid_argument);
        return result;
    }
    // A pty would refuse the parity, and glibc's tcsetattr fails when nothing else changed.
    const bool pty = is_pty(fd);
    if (pty) t.c_cflag &= ~static_cast<tcflag_t>(PARENB | PARODD);
    // tcsetattr succeeds when any part took (POSIX): read back what the port holds.
    termios got{};
    if (::tcsetattr(fd, TCSANOW, &t) != 0 || ::tcgetattr(fd, &got) != 0) {
        result.error = {errno, std::system_category()};
        return result;
    }
    const tcflag_t checked = CSIZE | CSTOPB | CRTSCTS | PARENB | PARODD;
    if ((got.c_cflag & checked) != (t.c_cflag & checked) || ::cfgetispeed(&got) != ::cfgetispeed(&t) ||
        ::cfgetospeed(&got) != ::cfgetospeed(&t)) {
        result.error = std::make_error_code(std::errc::not_supported);
        return result;
    }
    if (line.dtr && (modem_ioctl || !pty)) {
        int bits = TIOCM_DTR;
        if ((modem_ioctl ? modem_ioctl : &::ioctl)(fd, TIOCMBIS, &bits) == 0)
            result.dtr_applied = true;
        else
            result.error = {errno, std::system_category()};
    }
    return result;
}

std::error_code open_device(const std::string& path, const std::optional<SerialLine>& line,
                            asio::posix::stream_descriptor& out) {
    struct stat st {};
    const bool socket = ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
    int fd =
        socket ? connect_seqpacket(path) : ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return {errno, std::system_category()};
    std::error_code ec;
    if (::isatty(fd)) {
        if (line) {
            ec = configure_serial_line(fd, *line).error;
        } else if (termios t{}; ::tcgetattr(fd, &t) == 0) {
            ::cfmakeraw(&t);
            t.c_cflag |= CLOCAL | CREAD;
            ::tcsetattr(fd, TCSANOW, &t);
        }
    }
    if (!ec) out.assign(fd, ec);
    if (ec) ::close(fd);
    return ec;
}

}  // namespace lykta::dali
