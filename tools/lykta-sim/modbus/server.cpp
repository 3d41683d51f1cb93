#include "lykta-sim/modbus/server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <modbus/modbus.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <map>
#include <vector>

#include "lykta-sim/modbus/control.hpp"
#include "lykta-sim/modbus/rtu_framing.hpp"
#include "lykta-sim/modbus/sim_devices.hpp"

namespace lykta::sim {
namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t stop_requested = 0;
void on_signal(int) {
    stop_requested = 1;
}

bool split_host_port(const std::string& text, std::string& host, int& port) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    host = text.substr(0, colon);
    try {
        port = std::stoi(text.substr(colon + 1));
    } catch (...) {
        return false;
    }
    return port >= 0 && port <= 65535 && !host.empty();
}

int listen_tcp(const std::string& host, int port, int& bound_port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
        bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 16) != 0) {
        ::close(fd);
        return -1;
    }
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    bound_port = ntohs(addr.sin_port);
    return fd;
}

// A request waiting for its (deliberately late) answer.
struct Pending {
    Clock::time_point due;
    int fd;
    bool rtu;
    std::vector<uint8_t> query;
};

class Server {
public:
    explicit Server(const ServerOptions& o) : options_(o), cabinet_(o.meter_unit, o.io_unit) {}
    ~Server() {
        for (int fd : tcp_clients_) ::close(fd);
        for (auto& [fd, buffer] : control_clients_) ::close(fd);
        if (tcp_listen_ >= 0) ::close(tcp_listen_);
        if (control_listen_ >= 0) ::close(control_listen_);
        if (pty_master_ >= 0) ::close(pty_master_);
        if (pty_slave_ >= 0) ::close(pty_slave_);
        if (tcp_ctx_) modbus_free(tcp_ctx_);
        if (rtu_ctx_) modbus_free(rtu_ctx_);
    }

    int run() {
        if (!open_endpoints()) return 1;
        cabinet_.update(Clock::now());
        while (!stop_requested) {
            std::vector<pollfd> fds;
            auto add = [&](int fd) { fds.push_back({fd, POLLIN, 0}); };
            if (tcp_listen_ >= 0) add(tcp_listen_);
            if (control_listen_ >= 0) add(control_listen_);
            if (pty_master_ >= 0) add(pty_master_);
            if (stdin_open_) add(0);
            for (int fd : tcp_clients_) add(fd);
            for (auto& [fd, buffer] : control_clients_) add(fd);
            // The meter's values move at a 100 ms tick.
            int timeout_ms = std::clamp(
                static_cast<int>(
                    std::chrono::duration_cast<std::chrono::milliseconds>(next_tick_ - Clock::now()).count()),
                0, 100);
            if (!pending_.empty()) {
                auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(pending_.front().due -
                                                                                  Clock::now());
                timeout_ms = std::clamp(static_cast<int>(wait.count()), 0, timeout_ms);
            }
            int n = ::poll(fds.data(), fds.size(), timeout_ms);
            if (n < 0 && errno != EINTR) {
                std::cerr << "lykta-sim modbus: poll: " << std::strerror(errno) << "\n";
                return 1;
            }
            if (Clock::now() >= next_tick_) {
                cabinet_.update(Clock::now());
                next_tick_ = Clock::now() + std::chrono::milliseconds(100);
            }
            answer_due();
            if (n <= 0) continue;
            for (const auto& p : fds) {
                if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
                if (p.fd == tcp_listen_)
                    accept_into(tcp_listen_, true);
                else if (p.fd == control_listen_)
                    accept_into(control_listen_, false);
                else if (p.fd == pty_master_)
                    read_rtu();
                else if (p.fd == 0)
                    read_stdin();
                else if (control_clients_.count(p.fd))
                    read_control(p.fd);
                else
                    read_tcp(p.fd);
            }
        }
        return 0;
    }

private:
    bool open_endpoints() {
        std::string host;
        int port = 0;
        if (!options_.listen.empty()) {
            if (!split_host_port(options_.listen, host, port)) return fail("--listen wants HOST:PORT");
            int bound = 0;
            tcp_listen_ = listen_tcp(host, port, bound);
            if (tcp_listen_ < 0)
                return fail("cannot listen on " + options_.listen + ": " + std::strerror(errno));
            tcp_ctx_ = modbus_new_tcp(host.c_str(), bound);
            std::cout << "listening " << host << ":" << bound << std::endl;
        }
        if (options_.pty) {
            pty_master_ = posix_openpt(O_RDWR | O_NOCTTY);
            if (pty_master_ < 0 || grantpt(pty_master_) != 0 || unlockpt(pty_master_) != 0)
                return fail(std::string("cannot create a pty: ") + std::strerror(errno));
            std::string slave = ptsname(pty_master_);
            // Holding the slave open keeps the master from reporting a hangup
            // while the gateway has not opened (or has just reopened) the port.
            pty_slave_ = ::open(slave.c_str(), O_RDWR | O_NOCTTY);
            termios tio{};
            tcgetattr(pty_slave_, &tio);
            cfmakeraw(&tio);
            tcsetattr(pty_slave_, TCSANOW, &tio);
            rtu_ctx_ = modbus_new_rtu(slave.c_str(), 9600, 'N', 8, 1);
            modbus_set_socket(rtu_ctx_, pty_master_);
            std::cout << "pty " << slave << std::endl;
        }
        if (!options_.control.empty()) {
            if (!split_host_port(options_.control, host, port)) return fail("--control wants HOST:PORT");
            int bound = 0;
            control_listen_ = listen_tcp(host, port, bound);
            if (control_listen_ < 0)
                return fail("cannot listen on " + options_.control + ": " + std::strerror(errno));
            std::cout << "control " << host << ":" << bound << std::endl;
        }
        return true;
    }

    bool fail(const std::string& message) {
        std::cerr << "lykta-sim modbus: " << message << "\n";
        return false;
    }

    void accept_into(int listen_fd, bool modbus) {
        int fd = ::accept(listen_fd, nullptr, nullptr);
        if (fd < 0) return;
        if (modbus) {
            // Answers to pipelined requests go out back to back: with Nagle
            // on, each would wait for the client's delayed ACK (up to 40 ms).
            int yes = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
            tcp_clients_.push_back(fd);
        } else {
            control_clients_[fd] = {};
        }
    }

    void close_tcp(int fd) {
        ::close(fd);
        tcp_clients_.erase(std::remove(tcp_clients_.begin(), tcp_clients_.end(), fd), tcp_clients_.end());
        pending_.erase(
            std::remove_if(pending_.begin(), pending_.end(), [fd](const Pending& p) { return p.fd == fd; }),
            pending_.end());
    }

    void read_tcp(int fd) {
        // A pipelining client sends several requests at once: answer all
        // that arrived (a whole MBAP header at least), not one per poll().
        for (int avail = 1; avail >= 7 || avail == 1;) {
            uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
            modbus_set_socket(tcp_ctx_, fd);
            int rc = modbus_receive(tcp_ctx_, query);
            if (rc <= 0) {
                if (rc < 0) close_tcp(fd);
                return;
            }
            handle(fd, false, std::vector<uint8_t>(query, query + rc));
            if (::ioctl(fd, FIONREAD, &avail) != 0) return;
        }
    }

    void read_rtu() {
        uint8_t chunk[512];
        ssize_t n = ::read(pty_master_, chunk, sizeof chunk);
        if (n <= 0) return;
        rtu_buffer_.insert(rtu_buffer_.end(), chunk, chunk + n);
        for (;;) {
            std::size_t length = 0;
            auto status = next_request(rtu_buffer_, length);
            if (status == FrameStatus::incomplete) break;
            if (status == FrameStatus::garbage) {
                rtu_buffer_.erase(rtu_buffer_.begin());  // resynchronise on the next byte
                continue;
            }
            std::vector<uint8_t> frame(rtu_buffer_.begin(), rtu_buffer_.begin() + static_cast<long>(length));
            rtu_buffer_.erase(rtu_buffer_.begin(), rtu_buffer_.begin() + static_cast<long>(length));
            handle(pty_master_, true, std::move(frame));
        }
    }

    void handle(int fd, bool rtu, std::vector<uint8_t> query) {
        const int unit = rtu ? query[0] : query[6];
        const UnitFaults& faults = cabinet_.faults(unit);
        if (faults.offline || !cabinet_.mapping(unit)) return;
        if (faults.delay_ms > 0) {
            pending_.push_back(
                {Clock::now() + std::chrono::milliseconds(faults.delay_ms), fd, rtu, std::move(query)});
            std::stable_sort(pending_.begin(), pending_.end(),
                             [](const Pending& a, const Pending& b) { return a.due < b.due; });
            return;
        }
        answer(fd, rtu, query);
    }

    void answer(int fd, bool rtu, const std::vector<uint8_t>& query) {
        modbus_t* ctx = rtu ? rtu_ctx_ : tcp_ctx_;
        const int unit = rtu ? query[0] : query[6];
        modbus_set_socket(ctx, fd);
        cabinet_.update_inputs();
        const int function = query[rtu ? 1 : 7];
        if (int code = cabinet_.faults(unit).exception; code > 0)
            modbus_reply_exception(ctx, query.data(), static_cast<unsigned>(code));
        else if (cabinet_.faults(unit).multiple_writes_only && (function == 0x05 || function == 0x06))
            modbus_reply_exception(ctx, query.data(), MODBUS_EXCEPTION_ILLEGAL_FUNCTION);
        else if (cabinet_.faults(unit).ignore_writes)
            reply_without_writing(ctx, query, cabinet_.mapping(unit));
        else
            modbus_reply(ctx, query.data(), static_cast<int>(query.size()), cabinet_.mapping(unit));
        cabinet_.update_inputs();  // a contactor write shows on its feedback input at once
    }

    // The normal answer, but the coils and holding registers keep their values.
    static void reply_without_writing(modbus_t* ctx, const std::vector<uint8_t>& query, modbus_mapping_t* m) {
        std::vector<uint8_t> bits(m->tab_bits, m->tab_bits + m->nb_bits);
        std::vector<uint16_t> registers(m->tab_registers, m->tab_registers + m->nb_registers);
        modbus_reply(ctx, query.data(), static_cast<int>(query.size()), m);
        std::copy(bits.begin(), bits.end(), m->tab_bits);
        std::copy(registers.begin(), registers.end(), m->tab_registers);
    }

    void answer_due() {
        auto now = Clock::now();
        while (!pending_.empty() && pending_.front().due <= now) {
            Pending p = std::move(pending_.front());
            pending_.erase(pending_.begin());
            answer(p.fd, p.rtu, p.query);
        }
    }

    void read_stdin() {
        char chunk[512];
        ssize_t n = ::read(0, chunk, sizeof chunk);
        if (n <= 0) {
            stdin_open_ = false;  // detached (a daemon, a test): the socket remains
            return;
        }
        stdin_buffer_.append(chunk, static_cast<std::size_t>(n));
        for (auto nl = stdin_buffer_.find('\n'); nl != std::string::npos; nl = stdin_buffer_.find('\n')) {
            std::string line = stdin_buffer_.substr(0, nl);
            stdin_buffer_.erase(0, nl + 1);
            if (!line.empty()) std::cout << apply_control(cabinet_, line) << std::endl;
        }
    }

    void read_control(int fd) {
        char chunk[512];
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0) {
            ::close(fd);
            control_clients_.erase(fd);
            return;
        }
        std::string& buffer = control_clients_[fd];
        buffer.append(chunk, static_cast<std::size_t>(n));
        for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
            std::string line = buffer.substr(0, nl);
            buffer.erase(0, nl + 1);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            std::string reply = apply_control(cabinet_, line) + "\n";
            if (::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) < 0) break;
        }
    }

    ServerOptions options_;
    SimCabinet cabinet_;
    int tcp_listen_ = -1;
    int control_listen_ = -1;
    int pty_master_ = -1;
    int pty_slave_ = -1;
    modbus_t* tcp_ctx_ = nullptr;
    modbus_t* rtu_ctx_ = nullptr;
    std::vector<int> tcp_clients_;
    std::map<int, std::string> control_clients_;
    std::vector<uint8_t> rtu_buffer_;
    std::string stdin_buffer_;
    bool stdin_open_ = true;
    std::vector<Pending> pending_;
    Clock::time_point next_tick_{};
};

}  // namespace

int serve(const ServerOptions& options) {
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    Server server(options);
    return server.run();
}

}  // namespace lykta::sim
