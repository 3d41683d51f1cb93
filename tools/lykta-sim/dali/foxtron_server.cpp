#include "lykta-sim/dali/foxtron_server.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <asio/posix/stream_descriptor.hpp>
#include <asio/write.hpp>
#include <cstdlib>
#include <stdexcept>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/timing.hpp"

namespace lykta::dali {
namespace cv = foxtron::converter;

struct FoxtronServer::Session : std::enable_shared_from_this<Session> {
    explicit Session(asio::posix::stream_descriptor s) : stream(std::move(s)) {}
    asio::posix::stream_descriptor stream;
    cv::LineReader reader;
    std::deque<std::string> writes;
    bool writing = false, closed = false, is_pty = false;
    std::array<char, 512> buffer{};
    std::function<void(const std::shared_ptr<Session>&, const cv::LineReader::Message&)> on_line;

    void send(std::string bytes) {
        if (closed) return;
        writes.push_back(std::move(bytes));
        if (!writing) write_next();
    }
    void send_message(const std::vector<std::uint8_t>& data) { send(cv::to_line(data)); }
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
            for (auto& m : self->reader.feed(std::string_view(self->buffer.data(), n)))
                if (self->on_line) self->on_line(self, m);
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
    session->on_line = [this, alive](const std::shared_ptr<Session>& s, const cv::LineReader::Message& m) {
        if (auto a = alive.lock(); a && *a) on_line(s, m);
    };
    session->read_more();
    if (!bus_.faults.power) session->send_message(cv::special(foxtron::event::power_loss));
}

// §4.11: event 5 for a line that fails §1/§2, event 6 for a message it does not accept.
void FoxtronServer::on_line(const std::shared_ptr<Session>& s, const cv::LineReader::Message& line) {
    if (line.corrupt) {
        ++refused_.corrupt;
        s->send_message(cv::special(foxtron::event::checksum_error));
    } else if (auto parsed = cv::parse(line.data)) {
        on_message(s, *parsed);
    } else {
        ++refused_.invalid;
        s->send_message(cv::special(foxtron::event::invalid_command));
    }
}

void FoxtronServer::on_message(const std::shared_ptr<Session>& s, const cv::FromMaster& message) {
    if (silent) return;
    if (auto* q = std::get_if<cv::ConfigQuery>(&message)) return on_config_query(*s, q->item);
    if (auto* c = std::get_if<cv::ConfigChange>(&message)) return on_config_change(*s, *c);
    const auto* send = std::get_if<cv::Send>(&message);
    if (!send) return;  // end of sequence (§4.12): one master here, nothing to release
    if (queue_.size() >= foxtron::buffer_messages) {
        ++refused_.buffer_full;
        s->send_message(cv::special(foxtron::event::buffer_full));
        return;
    }
    queue_.push_back(Request{s, *send, std::chrono::steady_clock::now()});
    process_next();
}

// §6 "Data area of the converter".
void FoxtronServer::on_config_query(Session& s, std::uint8_t item) {
    namespace it = foxtron::item;
    std::uint16_t value = 0;
    switch (item) {
        case it::serial_number:
            value = 4711;
            break;
        case it::firmware:
            value = 0x0401;
            break;  // 4.1, what document v1.10 describes
        case it::bus_power:
            value = bus_.faults.power ? 0 : 1;
            break;
        case it::buffered:
            value = static_cast<std::uint16_t>(queue_.size());
            break;
        case it::hw_version:
            value = 0x0100;
            break;
        default:
            ++refused_.invalid;
            s.send_message(cv::special(foxtron::event::invalid_command));
            return;
    }
    s.send_message(cv::config_value(item, value));
}

// §4.9/4.10: only "messages in the buffer" is writable, and only to 0 (clear it).
void FoxtronServer::on_config_change(Session& s, const cv::ConfigChange& change) {
    namespace it = foxtron::item;
    std::uint8_t index = foxtron::change::done;
    if (change.item == it::buffered) {
        if (change.value == 0)
            queue_.clear();
        else
            index = foxtron::change::out_of_range;
    } else if (change.item == it::serial_number || change.item == it::firmware ||
               change.item == it::bus_power || change.item == it::hw_version) {
        index = foxtron::change::read_only;
    } else {
        ++refused_.invalid;
        s.send_message(cv::special(foxtron::event::invalid_command));
        return;
    }
    s.send_message(cv::change_confirmation(change, index));
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
    Reply reply = Reply::none();
    if (req.send.message.bits == foxtron::forward_frame_bits) {
        const ForwardFrame frame{static_cast<std::uint16_t>(req.send.message.value)};
        const double before = bus_.now();
        const std::uint8_t enabled = bus_.enabled_device_type();
        // Like the real converter, this one cannot know whether a frame is a query: it
        // reports whatever came back. The command table only sets the bus time it takes.
        const TransactOptions options{shape_of(frame, enabled).expect_answer, req.send.twice};
        reply = bus_.transact(frame, options);
        if (on_frame) on_frame(FrameRecord{before, frame, options, reply, enabled});
    } else {
        // Not a control gear frame (IEC 62386-102 gear take 16 bits): it goes out, nobody answers.
        bus_.advance(timing::command_s * (req.send.twice ? 2 : 1));
    }
    auto respond = [this, req, reply] {
        report(req, reply);
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

void FoxtronServer::report(const Request& req, const Reply& reply) {
    const auto message = req.send.message;
    auto for_ = [&](bool tracked) {
        if (reply.outcome == Outcome::answer) return cv::answered(tracked, message, reply.value);
        if (reply.outcome == Outcome::framing_error) return cv::answered(tracked, message, std::nullopt);
        return cv::unanswered(tracked, message);
    };
    const auto sender = req.session.lock();
    const std::string to_sender = cv::to_line(for_(req.send.type == foxtron::type::send_tracked));
    const std::string to_others = cv::to_line(for_(false));
    for (int copy = 0; copy < (req.send.twice ? options_.send_twice_reports : 1); ++copy)
        for (auto& w : sessions_)
            if (auto s = w.lock(); s && !s->closed) s->send(s == sender ? to_sender : to_others);
}

void FoxtronServer::set_bus_power(bool on) {
    sync_clock();
    bus_.set_power(on);
    send_raw(cv::to_line(cv::special(on ? foxtron::event::power_ok : foxtron::event::power_loss)));
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
