#pragma once
// The interface side of the Foxtron protocol, serving a SimBus: what
// `lykta-sim dali` runs, and what transport tests talk to over real TCP or a
// pty. Requests from all clients go through one queue (one bus); in real-time
// mode each reply waits for the frame's DALI cost. The bus clock follows the
// wall clock, so fades progress between frames.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "drivers/dali/sim_bus.hpp"

namespace lykta::dali {

struct FrameRecord {
    double bus_time_s = 0;
    ForwardFrame frame;
    TransactOptions options;
    Reply reply;
    std::uint8_t enabled_device_type = 0;
};

class FoxtronServer {
public:
    struct Options {
        bool realtime = false;
    };
    FoxtronServer(asio::io_context& io, SimBus& bus, Options options);
    ~FoxtronServer();
    FoxtronServer(const FoxtronServer&) = delete;
    FoxtronServer& operator=(const FoxtronServer&) = delete;

    // Returns the bound port (pass 0 for any free one).
    std::uint16_t listen_tcp(const std::string& host, std::uint16_t port);
    // Opens a pty pair and serves its master side; returns the slave path for clients.
    std::string open_pty();

    void set_bus_power(bool on);              // also tells every client (event 0x05)
    void send_raw(const std::string& bytes);  // fault injection: bytes to every client
    void disconnect_clients();                // fault injection: drop TCP clients
    bool silent = false;                      // fault injection: swallow requests, answer nothing

    std::function<void(const FrameRecord&)> on_frame;
    std::uint64_t requests() const { return requests_; }
    // Real-time mode: where the wall time beyond the frames' DALI cost went. `late_s`:
    // reply timers that fired after their deadline; `idle_s`: the bus waiting for the
    // client's next request after a reply went out (its round trip).
    struct RealtimeStats {
        double late_s = 0, idle_s = 0;
        std::uint64_t replies = 0;
    };
    const RealtimeStats& realtime_stats() const { return realtime_stats_; }
    // Moves the bus clock up to the wall clock (fades progress between frames).
    void sync_clock();

private:
    struct Session;
    struct Request {
        std::weak_ptr<Session> session;
        ForwardFrame frame;
        bool send_twice = false;
        std::chrono::steady_clock::time_point arrived;
    };
    void accept();
    void start_session(std::shared_ptr<Session> session);
    void on_payload(const std::shared_ptr<Session>& session, const std::vector<std::uint8_t>& payload);
    void process_next();

    asio::io_context& io_;
    SimBus& bus_;
    Options options_;
    std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;
    std::vector<std::weak_ptr<Session>> sessions_;
    std::deque<Request> queue_;
    bool processing_ = false;
    asio::steady_timer realtime_timer_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    int pty_slave_fd_ = -1;
    std::uint64_t requests_ = 0;
    RealtimeStats realtime_stats_;
    std::optional<std::chrono::steady_clock::time_point> idle_since_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::dali
