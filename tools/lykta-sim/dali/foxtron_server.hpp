#pragma once
// The simulated Foxtron converter (DALInet/DALI2net on TCP, DALI232 on a pty)
// serving a SimBus: what `lykta-sim dali` runs, and what transport tests talk
// to. It speaks through foxtron_converter.* (written from Foxtron's "DALI232
// communication protocol" v1.7/v1.10, not the client's codec). Requests from
// all clients go through one queue of 16 (one bus, §4); each frame is reported
// to its sender (type 13/14 after type 11, else 3/4) and as 3/4 to every other
// client (§4.2). A send-twice frame goes on the bus twice (§4.2 "2x"); how often the
// converter reports it the document does not say (§4.4/§4.6 are silent about copies), so
// that is an option here (Lykta's choice: twice by default, once to test the other case).
// In real-time mode each report waits for the frame's DALI cost. The bus clock
// follows the wall clock, so fades progress between frames.
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

#include "lykta-sim/dali/foxtron_converter.hpp"
#include "lykta-sim/dali/sim_bus.hpp"

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
        int send_twice_reports = 2;  // reports per send-twice frame, 1 or 2 (the document does not say)
    };
    FoxtronServer(asio::io_context& io, SimBus& bus, Options options);
    ~FoxtronServer();
    FoxtronServer(const FoxtronServer&) = delete;
    FoxtronServer& operator=(const FoxtronServer&) = delete;

    // Returns the bound port (pass 0 for any free one).
    std::uint16_t listen_tcp(const std::string& host, std::uint16_t port);
    // Opens a pty pair and serves its master side; returns the slave path for clients.
    std::string open_pty();

    void set_bus_power(bool on);              // also tells every client (event 0/1, §4.11)
    void send_raw(const std::string& bytes);  // fault injection: bytes to every client
    void disconnect_clients();                // fault injection: drop TCP clients
    bool silent = false;                      // fault injection: swallow requests, answer nothing

    std::function<void(const FrameRecord&)> on_frame;
    std::uint64_t requests() const { return requests_; }
    // What the converter turned down (§4.11 events 5, 6 and 4): a client that follows
    // the document never sees any.
    struct Refused {
        std::uint64_t corrupt = 0, invalid = 0, buffer_full = 0;
    };
    const Refused& refused() const { return refused_; }
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
        foxtron::converter::Send send;
        std::chrono::steady_clock::time_point arrived;
    };
    void accept();
    void start_session(std::shared_ptr<Session> session);
    void on_line(const std::shared_ptr<Session>& session,
                 const foxtron::converter::LineReader::Message& line);
    void on_message(const std::shared_ptr<Session>& session, const foxtron::converter::FromMaster& message);
    void on_config_query(Session& session, std::uint8_t item);
    void on_config_change(Session& session, const foxtron::converter::ConfigChange& change);
    void process_next();
    // The reports of a frame that went on the bus: to its sender, and to everyone else.
    void report(const Request& req, const Reply& reply);

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
    Refused refused_;
    RealtimeStats realtime_stats_;
    std::optional<std::chrono::steady_clock::time_point> idle_since_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::dali
