#pragma once
// How one network's bytes travel: Modbus RTU through libmodbus
// (rtu_transport.hpp) or Modbus TCP through the MBAP link (tcp_transport.hpp),
// chosen by the network's config (make_transport). A transport is used by
// exactly one thread, the network's worker (network_worker.hpp): it blocks,
// and a libmodbus context is not thread safe (libmodbus NEWS 3.1.3).
#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "drivers/modbus/network_config.hpp"
#include "drivers/modbus/request_plan.hpp"
#include "drivers/modbus/transaction.hpp"

namespace lykta::modbus {

// One read of a batch: which unit, what, and where the result goes.
struct BatchRead {
    int unit = 0;
    const ReadRequest* request = nullptr;
    ReadResult* result = nullptr;
};

class Transport {
public:
    virtual ~Transport() = default;

    // Opens the port or connection; false with `error` set when it fails. It
    // may set `error` and still succeed: a warning (RS-485 mode not set).
    virtual bool open(std::string& error) = 0;
    virtual void close() = 0;
    virtual bool is_open() const = 0;

    // Requests that may be outstanding at once (TCP `pipeline`; 1 on RTU).
    virtual std::size_t depth() const { return 1; }
    // Every read of `reads`, results in place; up to depth() of them go out
    // together. A closed transport fails each at once as link_down ("not
    // connected"). Result buffers are reused: a poll that repeats every few
    // milliseconds allocates nothing once it ran.
    virtual void read(std::span<const BatchRead> reads) = 0;
    // The write, then a read of what was written (WriteResult::readback).
    virtual WriteResult write(int unit, const WriteRequest& request) = 0;
    // Whether the link is best replaced by a fresh one after a transaction
    // on it ended with `outcome` (TCP after a timeout or bad response).
    virtual bool fresh_link_after(Outcome /*outcome*/) const { return false; }

    // One read into a new result (tests, the simulator's checks).
    ReadResult read(int unit, const ReadRequest& request);
};

std::unique_ptr<Transport> make_transport(const NetworkConfig& network);

// "unit 1 input 0+76": how errors name a read.
std::string describe_read(int unit, const ReadRequest& request);
// What a write is read back with: the same table, address and width.
ReadRequest readback_request(const WriteRequest& request);
// Sets `out` to a failed read (no data).
void fail_read(ReadResult& out, Outcome outcome, std::string error);

}  // namespace lykta::modbus
