#include "drivers/dali/foxtron_server.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <asio/posix/stream_descriptor.hpp>
#include <asio/write.hpp>
#include <cstdlib>
#include <stdexcept>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/foxtron_protocol.hpp"

namespace lykta::dali {

struct FoxtronServer::Session : std::enable_shared_from_this<Session> {
    explicit Session(asio::posix::stream_descriptor s) : stream(std::move(s)) {}
    asio::posix::stream_descriptor stream;
    foxtron::Deframer deframer;
    std::deque<std::string> writes;
    bool writing = false, closed = false, is_pty = false;
    std::array<char, 512> buffer{};
    std::function<void(const std::shared_ptr<Session>&, const std::vector<std::uint8_t>&)> on_payload;

    void send(std::string bytes) {
        if (closed) return;
        writes.push_back(std::move(bytes));
        if (!writing) write_next();
    }
    void write_next() {
        if (writes.empty() || closed) {
            writing = false;
            return;
        }
        writing = true;
        auto self = shared_from_this();
        asio::async_write(stream, asio::buffer(writes.front()), [self](std::error_code ec, std::size_t) {
            if (self->closed) return;
            self->writes.pop_front();
            if (ec) return self->close();
            self->write_next();
        });
    }
    void read_more() {
        auto self = shared_from_this();
        stream.async_read_some(asio::buffer(buffer), [self](std::error_code ec, std::size_t n) {
            if (self->closed) return;
            if (ec) return self->close();
            self->deframer.feed(std::string_view(self->buffer.data(), n));
            const auto rejected = self->deframer.rejected();
            while (auto payload = self->deframer.next())
                if (self->on_payload) self->on_payload(self, *payload);
            if (self->deframer.rejected() != rejected)
                self->send(foxtron::encode(foxtron::event_message(foxtron::event::checksum_error)));
            self->read_more();
        });
    }
    void close() {
        closed = true;
        std::error_code ec;
        stream.close(ec);
    }
};

FoxtronServer::FoxtronServer(asio::io_context& io, SimBus& bus, Options options)
    : io_(io), bus_(bus), options_(options), realtime_timer_(io) {}

FoxtronServer::~FoxtronServer() {
    *alive_ = false;
    for (auto& w : sessions_)
        if (auto s = w.lock()) s->close();
    if (pty_slave_fd_ >= 0) ::close(pty_slave_fd_);
}

std::uint16_t FoxtronServer::listen_tcp(const std::string& host, std::uint16_t port) {
    asio::ip::tcp::endpoint ep(asio::ip::make_address(host), port);
    acceptor_ = std::make_unique<asio::ip::tcp::acceptor>(io_, ep);
    accept();
    return acceptor_->local_endpoint().port();
}

void FoxtronServer::accept() {
    std::weak_ptr<bool> alive = alive_;
    acceptor_->async_accept([this, alive](std::error_code ec, asio::ip::tcp::socket socket) {
        if (auto a = alive.lock(); !a || !*a) return;
        if (!ec) {
            socket.set_option(asio::ip::tcp::no_delay(true), ec);
            start_session(std::make_shared<Session>(asio::posix::stream_descriptor(io_, socket.release())));
        }
        accept();
    });
}

std::string FoxtronServer::open_pty() {
    int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0)
        throw std::runtime_error("cannot create a pty");
    std::string slave = ::ptsname(master);
    // Hold the slave open ourselves: the master then never reads EIO between clients,
    // and the raw mode set here stays in place for the next client.
    pty_slave_fd_ = ::open(slave.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    termios t{};
    if (pty_slave_fd_ >= 0 && ::tcgetattr(pty_slave_fd_, &t) == 0) {
        ::cfmakeraw(&t);
        ::tcsetattr(pty_slave_fd_, TCSANOW, &t);
    }
    ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    auto session = std::make_shared<Session>(asio::posix::stream_descriptor(io_, master));
    session->is_pty = true;
    start_session(session);
    return slave;
}

void FoxtronServer::start_session(std::shared_ptr<Session> session) {
    sessions_.push_back(session);
    std::weak_ptr<bool> alive = alive_;
    session->on_payload = [this, alive](const std::shared_ptr<Session>& s,
                                        const std::vector<std::uint8_t>& p) {
        if (auto a = alive.lock(); a && *a) on_payload(s, p);
    };
    session->read_more();
    if (!bus_.faults.power)
        session->send(foxtron::encode(foxtron::event_message(foxtron::event::power_loss)));
}

void FoxtronServer::on_payload(const std::shared_ptr<Session>& s, const std::vector<std::uint8_t>& payload) {
    if (silent) return;
    if (payload[0] == foxtron::type::config_query && payload.size() >= 2) {
        const std::uint8_t item = payload[1];
        std::uint16_t value = 0;
        if (item == foxtron::config_firmware) value = 0x0106;
        if (item == foxtron::config_bus_power) value = bus_.faults.power ? 0 : 1;
        s->send(foxtron::encode(foxtron::config_message(item, value)));
        return;
    }
    auto req = foxtron::parse_send_request(payload);
    if (!req) {
        s->send(foxtron::encode(foxtron::event_message(foxtron::event::invalid_command)));
        return;
    }
    queue_.push_back(Request{s, req->frame, req->send_twice, std::chrono::steady_clock::now()});
    process_next();
}

void FoxtronServer::sync_clock() {
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (wall > bus_.now()) bus_.advance(wall - bus_.now());
}

void FoxtronServer::process_next() {
    if (processing_ || queue_.empty()) return;
    processing_ = true;
    if (idle_since_) {
        realtime_stats_.idle_s +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - *idle_since_).count();
        idle_since_.reset();
    }
    Request req = queue_.front();
    queue_.pop_front();
    ++requests_;
    // A frame starts when it arrived or when the bus became free, whichever is later: one
    // that waited in the queue (a pipelining client) follows the previous frame at once,
    // even when this process got the CPU late (the interface's firmware would not).
    const double arrived = std::chrono::duration<double>(req.arrived - started_).count();
    if (arrived > bus_.now()) bus_.advance(arrived - bus_.now());
    const double before = bus_.now();
    const std::uint8_t enabled = bus_.enabled_device_type();
    const auto shape = shape_of(req.frame, enabled);
    // Like the real gateway, the interface cannot know whether a frame is a query:
    // it reports whatever came back; the client decides what "no answer" means.
    const TransactOptions options{shape.expect_answer, req.send_twice};
    Reply reply = bus_.transact(req.frame, options);
    if (on_frame) on_frame(FrameRecord{before, req.frame, options, reply, enabled});
    auto respond = [this, req, reply] {
        if (auto s = req.session.lock()) {
            std::vector<std::uint8_t> msg;
            switch (reply.outcome) {
                case Outcome::answer:
                    msg = foxtron::answer_message(req.frame, reply.value);
                    break;
                case Outcome::framing_error:
                    msg = foxtron::answer_message(req.frame, std::nullopt);
                    break;
                default:
                    msg = foxtron::no_answer_message(req.frame);
                    break;
            }
            s->send(foxtron::encode(msg));
        }
        processing_ = false;
        if (options_.realtime && queue_.empty()) idle_since_ = std::chrono::steady_clock::now();
        process_next();
    };
    if (!options_.realtime) {
        respond();
        return;
    }
    // The reply is due when the frame's bus time is over, on the wall clock the bus time follows.
    realtime_timer_.expires_at(started_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                              std::chrono::duration<double>(bus_.now())));
    std::weak_ptr<bool> alive = alive_;
    realtime_timer_.async_wait(
        [this, alive, respond, deadline = realtime_timer_.expiry()](std::error_code ec) {
            if (auto a = alive.lock(); !a || !*a || ec) return;
            realtime_stats_.late_s +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - deadline).count();
            ++realtime_stats_.replies;
            respond();
        });
}

void FoxtronServer::set_bus_power(bool on) {
    sync_clock();
    bus_.set_power(on);
    send_raw(
        foxtron::encode(foxtron::event_message(on ? foxtron::event::power_ok : foxtron::event::power_loss)));
}

void FoxtronServer::send_raw(const std::string& bytes) {
    for (auto& w : sessions_)
        if (auto s = w.lock(); s && !s->closed) s->send(bytes);
}

void FoxtronServer::disconnect_clients() {
    for (auto& w : sessions_)
        if (auto s = w.lock(); s && !s->is_pty) s->close();
}

}  // namespace lykta::dali
