#include "drivers/modbus/tcp_link.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "drivers/modbus/mbap.hpp"

namespace lykta::modbus {
namespace {

std::string text_of(int error) {
    return std::error_code(error, std::generic_category()).message();
}

timeval to_timeval(double seconds) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(std::floor(seconds));
    tv.tv_usec = static_cast<suseconds_t>(std::lround((seconds - std::floor(seconds)) * 1e6) % 1000000);
    if (tv.tv_sec == 0 && tv.tv_usec == 0) tv.tv_usec = 1;  // 0 would mean "wait forever"
    return tv;
}

// Non-blocking connect bounded by `timeout_ms`; the socket is blocking again after.
int connect_within(const addrinfo& ai, int timeout_ms, int& error) {
    int fd = ::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol);
    if (fd < 0) {
        error = errno;
        return -1;
    }
    if (::connect(fd, ai.ai_addr, ai.ai_addrlen) != 0) {
        if (errno != EINPROGRESS) {
            error = errno;
            ::close(fd);
            return -1;
        }
        pollfd p{fd, POLLOUT, 0};
        int n = ::poll(&p, 1, timeout_ms);
        int so_error = 0;
        socklen_t len = sizeof so_error;
        if (n <= 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0) {
            error = n == 0 ? ETIMEDOUT : (n < 0 ? errno : so_error);
            ::close(fd);
            return -1;
        }
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

}  // namespace

TcpLink::~TcpLink() {
    close();
}

bool TcpLink::open(const std::string& host, int port, std::chrono::duration<double> timeout,
                   std::string& error) {
    close();
    timeout_s_ = timeout.count();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
        error = "cannot resolve " + host + ": " + gai_strerror(rc);
        return false;
    }
    int last_error = 0;
    const int timeout_ms = std::max(1, static_cast<int>(std::lround(timeout_s_ * 1000)));
    for (addrinfo* ai = found; ai && fd_ < 0; ai = ai->ai_next)
        fd_ = connect_within(*ai, timeout_ms, last_error);
    ::freeaddrinfo(found);
    if (fd_ < 0) {
        error = text_of(last_error);
        return false;
    }
    // Requests are whole ADUs written at once: Nagle would only delay them.
    int yes = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    const timeval tv = to_timeval(timeout_s_);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    begin_ = end_ = 0;
    lowat_ = 1;
    missed_ = false;
    return true;
}

void TcpLink::expect(std::size_t bytes) {
    missed_ = false;
    bytes = std::clamp<std::size_t>(bytes, 1, buffer_.size() / 2);
    if (fd_ < 0 || bytes == lowat_) return;
    const int value = static_cast<int>(bytes);
    if (::setsockopt(fd_, SOL_SOCKET, SO_RCVLOWAT, &value, sizeof value) == 0) lowat_ = bytes;
}

void TcpLink::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    begin_ = end_ = 0;
}

Outcome TcpLink::send(std::span<const std::uint8_t> bytes, std::string& error) {
    if (fd_ < 0) {
        error = "not connected";
        return Outcome::link_down;
    }
    while (!bytes.empty()) {
        ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error = errno == EAGAIN || errno == EWOULDBLOCK ? "send timed out" : "send: " + text_of(errno);
            return Outcome::link_down;
        }
        bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return Outcome::ok;
}

Outcome TcpLink::receive(std::span<const std::uint8_t>& frame, std::string& error) {
    if (fd_ < 0) {
        error = "not connected";
        return Outcome::link_down;
    }
    for (;;) {
        const auto held = std::span<const std::uint8_t>(buffer_).subspan(begin_, end_ - begin_);
        const long size = mbap::frame_size(held, error);
        if (size < 0) return Outcome::bad_response;
        if (size > 0 && held.size() >= static_cast<std::size_t>(size)) {
            frame = held.first(static_cast<std::size_t>(size));
            begin_ += static_cast<std::size_t>(size);
            return Outcome::ok;
        }
        if (begin_ > 0) {  // keep the partial frame at the front: room for the rest
            std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
            end_ -= begin_;
            begin_ = 0;
        }
        const auto waited_from =
            lowat_ > 1 ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
        ssize_t n = missed_ ? -1 : ::recv(fd_, buffer_.data() + end_, buffer_.size() - end_, 0);
        if (n > 0) {
            end_ += static_cast<std::size_t>(n);
            if (lowat_ > 1 && static_cast<std::size_t>(n) < lowat_) {
                // Woken below the mark: by the timeout (the rest is late) or by a signal (wait for the rest).
                const bool timed_out =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - waited_from).count() >=
                    timeout_s_ * 0.9;
                missed_ = timed_out;
                const int rest = timed_out ? 1 : static_cast<int>(lowat_ - static_cast<std::size_t>(n));
                ::setsockopt(fd_, SOL_SOCKET, SO_RCVLOWAT, &rest, sizeof rest);
                lowat_ = static_cast<std::size_t>(rest);
            }
            continue;
        }
        if (n < 0 && !missed_ && errno == EINTR) continue;
        if (missed_ || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) {
            char text[48];
            std::snprintf(text, sizeof text, "no answer within %g s", timeout_s_);
            error = text;
            return Outcome::timeout;
        }
        error = n == 0 ? "connection closed by the peer" : "receive: " + text_of(errno);
        return Outcome::link_down;
    }
}

}  // namespace lykta::modbus
