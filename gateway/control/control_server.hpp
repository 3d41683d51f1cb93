#pragma once
// The local control socket: lyktactl on the gateway box reaches the same
// commands as the platform does over MQTT, without a broker. A Unix stream
// socket; each request is one line of JSON, {"command": "<path>", ...args},
// answered by one line holding the response envelope of the MQTT API
// ({"id":..,"status":"ok"|"error",...}). Access is by file permissions
// (0660: root and the service's group).
#include <asio.hpp>
#include <functional>
#include <memory>
#include <string>

namespace lykta::control {

// Routes one request to its handler; `reply` is called exactly once, on the
// loop thread, with the serialised response envelope.
using Dispatch = std::function<void(const std::string& command, const std::string& payload,
                                    std::function<void(std::string response)> reply)>;

class ControlServer {
public:
    ControlServer(asio::io_context& io, std::string path, Dispatch dispatch);
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    // Binds and listens. A stale socket file (nobody accepting) is replaced; a
    // live one (another lyktad) is left alone and start() returns false.
    bool start(std::string* error);
    void stop();
    const std::string& path() const { return path_; }

    // Longest request line accepted; a longer one is answered too_large and the
    // connection closed, so a runaway client cannot grow our memory.
    static constexpr std::size_t max_line = 1 << 20;

private:
    class Session;
    void accept();

    asio::io_context& io_;
    std::string path_;
    Dispatch dispatch_;
    asio::local::stream_protocol::acceptor acceptor_;
    std::shared_ptr<bool> alive_;
};

}  // namespace lykta::control
