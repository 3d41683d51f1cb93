#pragma once
// Client transport for Foxtron DALInet/DALI2net (TCP, "foxtron://host:port")
// and DALI232 (serial, "foxtron:///dev/ttyUSB0"; also a pty from `lykta-sim dali --pty`).
// Sends 0x0B ("send with differentiation") so replies to our frames (0x0D/0x0E)
// are told apart from other masters' traffic (0x03/0x04), which is ignored.
#include "drivers/dali/foxtron_protocol.hpp"
#include "drivers/dali/stream_transport.hpp"

namespace lykta::dali {

class FoxtronTransport final : public StreamTransport {
public:
    FoxtronTransport(asio::io_context& io, StreamEndpoint endpoint, StreamOptions options = {})
        : StreamTransport(io, std::move(endpoint), "foxtron", options) {}
    bool bus_power_lost() const { return power_lost_; }
    // The gateway buffers requests (it reports "buffer full", event 0x05) and answers
    // each with its frame, so the next frame can wait there while one is on the bus.
    bool pipelines() const override { return true; }

private:
    std::string request_bytes(ForwardFrame frame, TransactOptions options) override;
    void on_bytes(std::string_view bytes) override;
    std::string keepalive_bytes() override;
    void handle(const foxtron::Incoming& in);

    foxtron::Deframer deframer_;
    std::uint64_t rejected_seen_ = 0;
    bool power_lost_ = false;
};

}  // namespace lykta::dali
