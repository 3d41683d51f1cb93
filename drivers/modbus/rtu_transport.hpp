#pragma once
// Modbus RTU through a libmodbus context (its serial framing - CRC,
// inter-character timeouts, RS-485 mode - is what a well-kept library is
// for). libmodbus' -1/errno results become Outcomes without
// modbus_strerror, which calls strerror and is not thread safe (libmodbus #468).
#include <chrono>

#include "drivers/modbus/transport.hpp"

struct _modbus;

namespace lykta::modbus {

class RtuTransport final : public Transport {
public:
    RtuTransport(RtuSettings settings, double response_timeout_s);
    ~RtuTransport() override;
    RtuTransport(const RtuTransport&) = delete;
    RtuTransport& operator=(const RtuTransport&) = delete;

    bool open(std::string& error) override;
    void close() override;
    bool is_open() const override { return ctx_ != nullptr; }
    using Transport::read;
    void read(std::span<const BatchRead> reads) override;
    WriteResult write(int unit, const WriteRequest& request) override;

private:
    void read_one(const BatchRead& read);
    // Fills `out` from errno; `what` names the transaction ("unit 1 input 0+76").
    void failure(const std::string& what, ReadResult& out);
    void wait_for_silence();
    void mark_bus_busy();

    RtuSettings settings_;
    double response_timeout_s_;
    _modbus* ctx_ = nullptr;
    std::chrono::steady_clock::duration silence_{};
    std::chrono::steady_clock::time_point bus_free_{};
};

// The silence a Modbus RTU master keeps between frames: 3.5 character times,
// fixed at 1.75 ms above 19200 baud (Modbus over Serial Line V1.02, 2.5.1.1).
// libmodbus sends as soon as it is asked, so the transport waits it out itself.
std::chrono::nanoseconds inter_frame_silence(const RtuSettings& port);

// Outcome for a libmodbus errno value.
Outcome classify_errno(int error);
std::string errno_text(int error);

}  // namespace lykta::modbus
