#pragma once
// Client transport for the hasseb USB DALI Master through Linux hidraw
// ("hasseb:///dev/hidraw0"): one 10-byte output report per frame, replies matched
// by sequence number; commands without an answer end when written. Untested against hardware here (see
// docs/dali.md).
#include "drivers/dali/hasseb_protocol.hpp"
#include "drivers/dali/stream_transport.hpp"

namespace lykta::dali {

class HassebTransport final : public StreamTransport {
public:
    HassebTransport(asio::io_context& io, std::string device, StreamOptions options = {})
        : StreamTransport(io, StreamEndpoint{{}, 0, std::move(device)}, "hasseb",
                          with_no_keepalive(options)) {}

private:
    static StreamOptions with_no_keepalive(StreamOptions o) {
        o.keepalive_s = 0;
        return o;
    }
    std::string request_bytes(ForwardFrame frame, TransactOptions options) override;
    void on_bytes(std::string_view bytes) override;
    // python-dali's hasseb driver waits for a report only when the command is a query.
    bool completes_on_write(TransactOptions o) const override { return !o.expect_answer; }

    std::uint8_t sequence_ = 0;
    std::string partial_;
};

}  // namespace lykta::dali
