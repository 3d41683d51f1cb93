#include "drivers/dali/byte_stream.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>

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

std::error_code open_device(const std::string& path, bool raw_tty, asio::posix::stream_descriptor& out) {
    int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
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
