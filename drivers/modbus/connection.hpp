#pragma once
// One network's port, used by exactly one thread. RTU goes through a
// libmodbus context, whose -1/errno results become Outcomes without
// modbus_strerror (which calls strerror and is not thread safe: libmodbus
// #468). TCP goes through TcpLink + mbap (fewer system calls per request,
// and several requests outstanding at once where the network allows it:
// docs/modbus.md, "Modbus TCP transport").
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "drivers/modbus/request_plan.hpp"
#include "drivers/modbus/tcp_link.hpp"
#include "drivers/modbus/transaction.hpp"
#include "gateway/config/model.hpp"

struct _modbus;

namespace lykta::modbus {

// One read of a batch: which unit, what, and where the result goes.
struct BatchRead {
    int unit = 0;
    const ReadRequest* request = nullptr;
    ReadResult* result = nullptr;
};

class Connection {
public:
    explicit Connection(config::ModbusNetwork config);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Opens the port or TCP connection; false with `error` set when it fails.
    bool open(std::string& error);
    void close();
    bool is_open() const { return ctx_ != nullptr || link_.is_open(); }

    ReadResult read(int unit, const ReadRequest& request);
    // The same into `out`, reusing its buffers: a poll that repeats every few
    // milliseconds allocates nothing once it ran.
    void read_into(int unit, const ReadRequest& request, ReadResult& out);
    // Every read of `reads`, in order. On a TCP network with `pipeline` > 1
    // up to that many requests go out in one send before the answers are
    // collected (matched by transaction id, in any order); otherwise one
    // request at a time, as read_into.
    void read_all(std::span<const BatchRead> reads);
    WriteResult write(int unit, const WriteRequest& request);
    // Answers received on TCP whose transaction nobody waited for any more
    // (late answers after a timeout, duplicates); reset by open().
    std::uint64_t stray_answers() const { return stray_answers_; }

    std::string describe() const;  // "tcp 127.0.0.1:1502", "rtu /dev/ttyUSB0 9600 8N1"

private:
    // Fills `out` from errno; `what` names the transaction ("unit 1 input 0+76").
    void failure(const std::string& what, ReadResult& out);
    void wait_for_silence();
    bool tcp() const { return config_.type == "tcp"; }
    // Sends reads[0..n) in one send and collects their answers.
    void exchange(std::span<const BatchRead> reads);
    // The next answer to one of the transactions [first, first + count) not
    // answered yet; other answers are counted as stray and skipped.
    Outcome await(std::uint16_t first, std::span<const std::uint8_t> answered,
                  std::span<const std::uint8_t>& frame, std::size_t& index, std::string& error);
    void mark_bus_busy();

    config::ModbusNetwork config_;
    _modbus* ctx_ = nullptr;  // RTU
    TcpLink link_;            // TCP
    std::uint16_t transaction_ = 0;
    std::vector<std::uint8_t> request_;   // reused: the hot path allocates nothing
    std::vector<std::uint8_t> answered_;  // per request of the batch in flight
    std::uint64_t stray_answers_ = 0;
    // Pipelined batches wait for all their answers at once (TcpLink::expect)
    // until a batch's answers fell short of that (an exception is shorter
    // than the data it replaces; a unit did not answer): then, for the rest
    // of this connection, answer by answer.
    bool whole_batch_waits_ = true;
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
