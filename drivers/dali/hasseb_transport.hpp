#pragma once
// Client transport for the hasseb USB DALI Master through Linux hidraw
// ("hasseb:///dev/hidraw0"), firmware 2.3 or newer (drivers/dali/hasseb_protocol.hpp
// for the reports and their sources):
// - on every open it asks the firmware version and refuses the device (an error in
//   the log, transactions fail, so the bus raises interface_down) below 2.3 or when
//   nothing answers in the 2.x protocol; it tries again with the reopen backoff;
// - one read is one 10-byte report, never joined with the next read;
// - queries end with the transmission report of their sequence number; commands,
//   which the device does not confirm, end after their bus time (and the send-twice
//   gap), so the device's small input queue, which drops silently, never fills up;
// - writes run on a thread of their own: a hidraw write blocks until the USB
//   transfer is done, seconds when the device stalls.
// Tests and `lykta-sim dali --hasseb` stand in for the hidraw node with a Unix
// SOCK_SEQPACKET socket, which keeps report boundaries like hidraw does.
#include <asio/steady_timer.hpp>
#include <memory>
#include <optional>

#include "drivers/dali/blocking_writer.hpp"
#include "drivers/dali/hasseb_protocol.hpp"
#include "drivers/dali/stream_transport.hpp"

namespace lykta::dali {

class HassebTransport final : public StreamTransport {
public:
    HassebTransport(asio::io_context& io, std::string device, StreamOptions options = {});
    ~HassebTransport() override;
    void close() override;
    // Fails with BusError::interface until the firmware is verified.
    void transact(ForwardFrame frame, TransactOptions options, Done done) override;
    // The verified firmware of the open device; nullopt before (or when refused).
    std::optional<hasseb::Firmware> firmware() const { return firmware_; }

    // How long a command without an answer holds the bus.
    static double bus_time_s(TransactOptions options);

private:
    static StreamOptions with_no_keepalive(StreamOptions o) {
        o.keepalive_s = 0;
        return o;
    }
    std::string request_bytes(ForwardFrame frame, TransactOptions options) override;
    void on_bytes(std::string_view bytes) override;
    void on_connected() override;
    void write(std::string bytes) override;
    std::uint8_t next_sequence();  // 1..255: the device does not accept 0
    void on_firmware(hasseb::Firmware firmware);
    void refuse(const std::string& why);

    BlockingWriter writer_;
    asio::steady_timer pace_timer_, firmware_timer_;
    std::optional<hasseb::Firmware> firmware_;
    std::uint8_t sequence_ = 0, firmware_sequence_ = 0;
    std::uint64_t epoch_ = 0;        // bumps on every open: results for an earlier link drop out
    std::uint64_t transaction_ = 0;  // bumps on every transact: a late pace timer drops out
    double pace_next_write_s_ = -1;  // set by request_bytes for a command, taken by write()
    std::string refused_;            // the last refusal logged (once per cause, not per retry)
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::dali
