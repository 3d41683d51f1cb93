#include "gateway/control/control_server.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace lykta::control {

using asio::local::stream_protocol;

namespace {

std::string error_envelope(const char* code, const std::string& message) {
    return nlohmann::json{{"status", "error"}, {"error", {{"code", code}, {"message", message}}}}.dump();
}

// True when something accepts connections on `path`: another daemon owns it.
bool socket_is_live(asio::io_context& io, const std::string& path) {
    stream_protocol::socket probe(io);
    asio::error_code ec;
    probe.connect(stream_protocol::endpoint(path), ec);
    return !ec;
}

}  // namespace

// One client connection. Requests are served one at a time, in order: the next
// line is read only after the previous one was answered.
class ControlServer::Session : public std::enable_shared_from_this<Session> {
public:
    Session(stream_protocol::socket socket, Dispatch dispatch)
        : socket_(std::move(socket)), dispatch_(std::move(dispatch)), buffer_(max_line) {}

    void read_next() {
        asio::async_read_until(
            socket_, buffer_, '\n',
            [self = shared_from_this()](const asio::error_code& ec, std::size_t n) { self->on_line(ec, n); });
    }

private:
    void on_line(const asio::error_code& ec, std::size_t n) {
        if (ec == asio::error::not_found) {  // the line outgrew max_line
            write(error_envelope("too_large",
                                 "request line longer than " + std::to_string(max_line) + " bytes"),
                  false);
            return;
        }
        if (ec) return;  // closed by the client
        std::string line(asio::buffers_begin(buffer_.data()), asio::buffers_begin(buffer_.data()) + n - 1);
        buffer_.consume(n);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) {
            read_next();
            return;
        }
        auto request = nlohmann::json::parse(line, nullptr, false);
        if (request.is_discarded() || !request.is_object()) {
            write(error_envelope("bad_json", "a request is one JSON object per line"), true);
            return;
        }
        auto command = request.find("command");
        if (command == request.end() || !command->is_string()) {
            write(error_envelope("bad_request", "missing string field 'command'"), true);
            return;
        }
        std::string path = *command;
        request.erase(command);
        // The reply keeps the session alive until the handler answers, however late.
        dispatch_(path, request.dump(), [self = shared_from_this()](std::string response) {
            self->write(std::move(response), true);
        });
    }

    void write(std::string response, bool keep_reading) {
        auto out = std::make_shared<std::string>(std::move(response));
        out->push_back('\n');
        asio::async_write(
            socket_, asio::buffer(*out),
            [self = shared_from_this(), out, keep_reading](const asio::error_code& ec, std::size_t) {
                if (!ec && keep_reading) self->read_next();
            });
    }

    stream_protocol::socket socket_;
    Dispatch dispatch_;  // a copy: a session may outlive the server by a handler
    asio::streambuf buffer_;
};

ControlServer::ControlServer(asio::io_context& io, std::string path, Dispatch dispatch)
    : io_(io),
      path_(std::move(path)),
      dispatch_(std::move(dispatch)),
      acceptor_(io),
      alive_(std::make_shared<bool>(true)) {}

ControlServer::~ControlServer() {
    stop();
}

bool ControlServer::start(std::string* error) {
    if (socket_is_live(io_, path_)) {
        if (error) *error = path_ + " is in use by another process";
        return false;
    }
    ::unlink(path_.c_str());  // a stale file left by a crash
    asio::error_code ec;
    acceptor_.open(stream_protocol(), ec);
    if (!ec) acceptor_.bind(stream_protocol::endpoint(path_), ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        if (error) *error = "cannot listen on " + path_ + ": " + ec.message();
        acceptor_.close();
        return false;
    }
    ::chmod(path_.c_str(), 0660);
    accept();
    return true;
}

void ControlServer::stop() {
    if (!acceptor_.is_open()) return;
    asio::error_code ec;
    acceptor_.close(ec);
    ::unlink(path_.c_str());
}

void ControlServer::accept() {
    acceptor_.async_accept([this, alive = std::weak_ptr<bool>(alive_)](const asio::error_code& ec,
                                                                       stream_protocol::socket socket) {
        if (alive.expired() || ec == asio::error::operation_aborted) return;
        if (!ec)
            std::make_shared<Session>(std::move(socket), dispatch_)->read_next();
        else
            spdlog::warn("control socket {}: accept failed: {}", path_, ec.message());
        accept();
    });
}

}  // namespace lykta::control
