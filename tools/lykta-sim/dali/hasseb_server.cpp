#include "lykta-sim/dali/hasseb_server.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <stdexcept>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/hasseb_protocol.hpp"
#include "drivers/dali/timing.hpp"

namespace lykta::sim {
namespace h = dali::hasseb;

namespace {
// The README says "Input buffer of 10 messages"; the 2.3 firmware's ring of commands
// wraps after 7 (new_firmware.bin at 0x154e: index > 6 -> 0; see docs/dali.md).
constexpr std::size_t input_buffer = 7;

// Device -> host, README "Reports from interface to host": preamble, report type,
// sequence, then the report's own bytes; everything else zero.
std::vector<std::uint8_t> device_report(std::uint8_t type, std::uint8_t sequence,
                                        std::initializer_list<std::uint8_t> rest) {
    std::vector<std::uint8_t> r(h::report_size, 0);
    r[0] = h::preamble;
    r[1] = type;
    r[2] = sequence;
    std::size_t i = 3;
    for (auto b : rest) r[i++] = b;
    return r;
}
}  // namespace

struct HassebServer::Client : std::enable_shared_from_this<Client> {
    explicit Client(asio::posix::stream_descriptor s) : socket(std::move(s)) {}
    asio::posix::stream_descriptor socket;
    std::array<std::uint8_t, 64> buffer{};
    bool closed = false;
    std::function<void(const std::shared_ptr<Client>&, std::vector<std::uint8_t>)> on_report;

    // One datagram is one report. A blocking send is fine: the host reads all the time.
    void send(const std::vector<std::uint8_t>& report) {
        if (closed) return;
        if (::send(socket.native_handle(), report.data(), report.size(), MSG_NOSIGNAL) < 0) close();
    }
    void read_more() {
        auto self = shared_from_this();
        socket.async_wait(asio::posix::stream_descriptor::wait_read, [self](std::error_code ec) {
            if (self->closed) return;
            if (ec) return self->close();
            const ssize_t n =
                ::recv(self->socket.native_handle(), self->buffer.data(), self->buffer.size(), MSG_DONTWAIT);
            if (n == 0) return self->close();
            if (n > 0 && self->on_report)
                self->on_report(self,
                                std::vector<std::uint8_t>(self->buffer.begin(), self->buffer.begin() + n));
            self->read_more();
        });
    }
    void close() {
        closed = true;
        std::error_code ec;
        socket.close(ec);
    }
};

HassebServer::HassebServer(asio::io_context& io, dali::SimBus& bus, Options options)
    : io_(io), bus_(bus), options_(options), bus_timer_(io) {}

HassebServer::~HassebServer() {
    *alive_ = false;
    if (listener_) {
        std::error_code ec;
        listener_->close(ec);
    }
    if (!path_.empty()) ::unlink(path_.c_str());
}

void HassebServer::listen(const std::string& path) {
    sockaddr_un addr{};
    if (path.size() >= sizeof addr.sun_path) throw std::runtime_error("socket path too long: " + path);
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    ::unlink(path.c_str());
    int fd = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd, 4) != 0) {
        const std::string why = std::strerror(errno);
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("cannot listen on " + path + ": " + why);
    }
    path_ = path;
    listener_ = std::make_unique<asio::posix::stream_descriptor>(io_, fd);
    accept();
}

void HassebServer::accept() {
    std::weak_ptr<bool> alive = alive_;
    listener_->async_wait(asio::posix::stream_descriptor::wait_read, [this, alive](std::error_code ec) {
        if (auto a = alive.lock(); !a || !*a || ec) return;
        int fd = ::accept4(listener_->native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
            auto client = std::make_shared<Client>(asio::posix::stream_descriptor(io_, fd));
            client->on_report = [this, alive](const std::shared_ptr<Client>& c, std::vector<std::uint8_t> r) {
                if (auto a = alive.lock(); a && *a) on_report(c, std::move(r));
            };
            client->read_more();
        }
        accept();
    });
}

void HassebServer::on_report(const std::shared_ptr<Client>& client, std::vector<std::uint8_t> report) {
    if (options_.firmware_major < 2) {
        // Firmware 1.x knows none of this: it answers in its own 2-byte reports
        // ([status][data], status 0 "no data available"; python-dali hid.py class hasseb).
        client->send({0x00, 0x00});
        return;
    }
    // README "Reports from host to interface": 10 bytes, preamble 0xAA; anything else is ignored.
    if (report.size() != h::report_size || report[0] != h::preamble) return;
    if (report[1] == h::read_firmware) {
        client->send(device_report(h::read_firmware, report[2],
                                   {static_cast<std::uint8_t>(options_.firmware_major),
                                    static_cast<std::uint8_t>(options_.firmware_minor)}));
        return;
    }
    if (report[1] != h::dali_frame) return;
    if (queue_.size() >= input_buffer) {
        ++dropped_;
        if (on_dropped) on_dropped(dali::make_frame(report[7], report[8]));
        return;
    }
    queue_.push_back(Request{client, std::move(report), std::chrono::steady_clock::now()});
    process_next();
}

void HassebServer::process_next() {
    if (processing_ || queue_.empty()) return;
    processing_ = true;
    Request request = std::move(queue_.front());
    queue_.pop_front();
    // The bus clock follows the wall clock (fades progress between frames), as in FoxtronServer.
    const double arrived = std::chrono::duration<double>(request.arrived - started_).count();
    if (arrived > bus_.now()) bus_.advance(arrived - bus_.now());
    transmit(request);
}

void HassebServer::transmit(const Request& request) {
    const auto& r = request.report;
    // README "0x07, Send frame": byte 3 frame bits, byte 4 answer expected, byte 6
    // send-twice gap in ms (0: once), bytes 7.. the frame, most significant first.
    const std::uint8_t sequence = r[2];
    const bool expect_answer = r[4] == 1;
    const bool send_twice = r[6] != 0;
    std::optional<std::vector<std::uint8_t>> answer;
    const double before = bus_.now();
    const std::uint8_t enabled = bus_.enabled_device_type();
    dali::ForwardFrame frame{};
    dali::Reply reply = dali::Reply::none();
    if (r[3] == 16) {
        frame = dali::make_frame(r[7], r[8]);
        reply = bus_.transact(frame, {expect_answer, send_twice});
        if (send_twice) bus_.advance(r[6] / 1000.0);
        if (on_frame) on_frame(dali::FrameRecord{before, frame, {expect_answer, send_twice}, reply, enabled});
    }
    if (expect_answer) {
        // README "Transmission report": byte 3 status, byte 4 data length, 5.. the answer. The
        // README says the length is in bits; the 2.3 binary counts bytes (1 for a backward
        // frame, new_firmware.bin 0x7e4-0x842) and the maker's driver takes an answer only
        // with length 1 (hasseb.py extract() l.156): send 1.
        switch (reply.outcome) {
            case dali::Outcome::answer:
                answer = device_report(h::dali_frame, sequence, {h::status::answer, 1, reply.value});
                break;
            case dali::Outcome::framing_error:
                answer = device_report(h::dali_frame, sequence, {h::status::invalid_answer, 0});
                break;
            default:
                answer = device_report(h::dali_frame, sequence, {h::status::no_answer, 0});
                break;
        }
    }
    std::weak_ptr<bool> alive = alive_;
    auto respond = [this, alive, client = request.client, answer] {
        if (auto a = alive.lock(); !a || !*a) return;
        if (auto c = client.lock(); c && answer) c->send(*answer);
        processing_ = false;
        process_next();
    };
    if (!options_.realtime) return respond();
    bus_timer_.expires_at(started_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                         std::chrono::duration<double>(bus_.now())));
    bus_timer_.async_wait([respond](std::error_code ec) {
        if (!ec) respond();
    });
}

}  // namespace lykta::sim
