#pragma once
// The device side of the hasseb USB DALI Master, serving a SimBus: what
// `lykta-sim dali --hasseb PATH` runs. Written from the maker's protocol
// description (hasseb/python-dali dali/driver/hasseb_firmware/README.md, commit
// 1ee5f4e, for firmware 2.x), not from lyktad's driver: it shares the constants of
// drivers/dali/hasseb_protocol.hpp, never its encoder or parser.
//
// The hidraw node is stood in for by a Unix SOCK_SEQPACKET socket at PATH: one
// datagram per HID report, as a hidraw read and write carry exactly one report.
// Like the device it keeps 7 commands queued (the 2.3 firmware's ring; the README
// says 10) and drops what does not fit, without telling the host.
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lykta-sim/dali/foxtron_server.hpp"  // FrameRecord
#include "lykta-sim/dali/sim_bus.hpp"

namespace lykta::sim {

class HassebServer {
public:
    struct Options {
        bool realtime = false;
        int firmware_major = 2, firmware_minor = 3;  // major 1: the old 2-byte protocol
    };
    HassebServer(asio::io_context& io, dali::SimBus& bus, Options options);
    ~HassebServer();
    HassebServer(const HassebServer&) = delete;
    HassebServer& operator=(const HassebServer&) = delete;

    // Listens on a SOCK_SEQPACKET socket at `path` (replaced if it exists).
    void listen(const std::string& path);

    std::function<void(const dali::FrameRecord&)> on_frame;
    std::function<void(dali::ForwardFrame)> on_dropped;  // a frame the full input queue lost
    std::uint64_t dropped() const { return dropped_; }   // reports beyond the input buffer

private:
    struct Client;
    struct Request {
        std::weak_ptr<Client> client;
        std::vector<std::uint8_t> report;
        std::chrono::steady_clock::time_point arrived;
    };
    void accept();
    void on_report(const std::shared_ptr<Client>& client, std::vector<std::uint8_t> report);
    void process_next();
    void transmit(const Request& request);

    asio::io_context& io_;
    dali::SimBus& bus_;
    Options options_;
    int listen_fd_ = -1;
    std::string path_;
    std::unique_ptr<asio::posix::stream_descriptor> listener_;
    std::deque<Request> queue_;
    bool processing_ = false;
    asio::steady_timer bus_timer_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::uint64_t dropped_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::sim
