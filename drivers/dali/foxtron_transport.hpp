#pragma once
// Client transport for Foxtron DALInet/DALI2net (TCP, "foxtron://host:port")
// and DALI232 (serial, "foxtron:///dev/ttyUSB0"; also a pty from `lykta-sim dali --pty`).
// Sends type 11 ("send with sender differentiation", §4.2 of Foxtron's "DALI232
// communication protocol" v1.7/v1.10) so the converter's reports of our frames
// (types 13/14, §4.4/4.6) are told apart from other masters' traffic (3/4), which
// is ignored. A serial port is set to §3.1's line: 19200 8E1, no flow control, DTR on.
#include <optional>

#include "drivers/dali/foxtron_protocol.hpp"
#include "drivers/dali/stream_transport.hpp"

namespace lykta::dali {

// §3.1 of the document: what a DALI232/DALI232e needs from the serial port.
SerialLine dali232_serial_line();

class FoxtronTransport final : public StreamTransport {
public:
    FoxtronTransport(asio::io_context& io, StreamEndpoint endpoint, StreamOptions options = {});
    bool bus_power_lost() const { return power_lost_; }
    // The converter buffers 16 messages (§4) and reports each frame it put on the bus
    // in order, so the next frame can wait there while one is on the bus.
    bool pipelines() const override { return true; }

private:
    std::string request_bytes(ForwardFrame frame, TransactOptions options) override;
    void on_bytes(std::string_view bytes) override;
    std::string keepalive_bytes() override;
    void on_connected() override;
    void handle(const foxtron::Incoming& in);
    void handle_report(const foxtron::Incoming& in);
    void handle_event(std::uint8_t code);

    foxtron::Deframer deframer_;
    std::uint64_t rejected_seen_ = 0;
    bool power_lost_ = false;
    // A send-twice frame goes on the bus twice (§4.2 "2x"); whether the converter reports
    // it once or once per copy the document does not say (§4.4/§4.6 are silent about
    // copies). Lykta's choice: accept either. The transaction ends at the first report;
    // a second report of the same frame is then expected next and consumed.
    std::optional<ForwardFrame> second_report_due_;
};

}  // namespace lykta::dali
