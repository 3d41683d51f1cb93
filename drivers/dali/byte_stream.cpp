#include "drivers/dali/byte_stream.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

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
}  // namespace

std::error_code open_device(const std::string& path, bool raw_tty, asio::posix::stream_descriptor& out) {
    struct stat st {};
    const bool socket = ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
    int fd =
        socket ? connect_seqpacket(path) : ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return {errno, std::system_category()};
    if (raw_tty && ::isatty(fd)) {
        termios t{};
        if (::tcgetattr(fd, &t) == 0) {
            ::cfmakeraw(&t);
            t.c_cflag |= CLOCAL | CREAD;
            ::tcsetattr(fd, TCSANOW, &t);
        }
    }
    std::error_code ec;
    out.assign(fd, ec);
    if (ec) ::close(fd);
    return ec;
}

}  // namespace lykta::dali
