#pragma once
// A libmodbus context for one network, used by exactly one thread. Turns
// libmodbus' -1/errno results into Outcomes without modbus_strerror (which
// calls strerror and is not thread safe: libmodbus #468).
#include <chrono>
#include <string>

#include "drivers/modbus/request_plan.hpp"
#include "drivers/modbus/transaction.hpp"
#include "gateway/config/model.hpp"

struct _modbus;

namespace lykta::modbus {

class Connection {
public:
    explicit Connection(config::ModbusNetwork config);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Opens the port or TCP connection; false with `error` set when it fails.
    bool open(std::string& error);
    void close();
    bool is_open() const { return ctx_ != nullptr; }

    ReadResult read(int unit, const ReadRequest& request);
    // The same into `out`, reusing its buffers: a poll that repeats every few
    // milliseconds allocates nothing once it ran.
    void read_into(int unit, const ReadRequest& request, ReadResult& out);
    WriteResult write(int unit, const WriteRequest& request);

    std::string describe() const;  // "tcp 127.0.0.1:1502", "rtu /dev/ttyUSB0 9600 8N1"

private:
    // Fills `out` from errno; `what` names the transaction ("unit 1 input 0+76").
    void failure(const std::string& what, ReadResult& out);
    void wait_for_silence();
    void mark_bus_busy();

    config::ModbusNetwork config_;
    _modbus* ctx_ = nullptr;
    std::chrono::steady_clock::duration silence_{};
    std::chrono::steady_clock::time_point bus_free_{};
};

// The silence a Modbus RTU master keeps between frames: 3.5 character times,
// fixed at 1.75 ms above 19200 baud (Modbus over Serial Line V1.02, 2.5.1.1).
// libmodbus sends as soon as it is asked, so the worker waits it out itself.
// Zero for TCP.
std::chrono::nanoseconds inter_frame_silence(const config::ModbusNetwork& network);

// Outcome for a libmodbus errno value.
Outcome classify_errno(int error);
std::string errno_text(int error);

}  // namespace lykta::modbus
