#pragma once
// Modbus TCP through TcpLink + mbap: fewer system calls per request than
// libmodbus, and several requests outstanding at once where the network
// allows it (docs/modbus.md, "Modbus TCP transport").
#include <cstdint>
#include <vector>

#include "drivers/modbus/tcp_link.hpp"
#include "drivers/modbus/transport.hpp"

namespace lykta::modbus {

class TcpTransport final : public Transport {
public:
    TcpTransport(TcpSettings settings, double response_timeout_s);

    bool open(std::string& error) override;
    void close() override { link_.close(); }
    bool is_open() const override { return link_.is_open(); }
    std::size_t depth() const override;
    using Transport::read;
    // Up to `pipeline` requests go out in one send before their answers are
    // collected (matched by transaction id, in any order).
    void read(std::span<const BatchRead> reads) override;
    WriteResult write(int unit, const WriteRequest& request) override;
    // A late answer would arrive after any flush and be taken for the next
    // transaction's (libmodbus #255); answers are matched by transaction id
    // here, but a device that fell behind is best given a clean start.
    bool fresh_link_after(Outcome outcome) const override {
        return outcome == Outcome::timeout || outcome == Outcome::bad_response;
    }

    // Answers received whose transaction nobody waited for any more (late
    // answers after a timeout, duplicates); reset by open().
    std::uint64_t stray_answers() const { return stray_answers_; }

private:
    // Sends reads[0..n) in one send and collects their answers.
    void exchange(std::span<const BatchRead> reads);
    // The next answer to one of the transactions [first, first + count) not
    // answered yet; other answers are counted as stray and skipped.
    Outcome await(std::uint16_t first, std::span<const std::uint8_t> answered,
                  std::span<const std::uint8_t>& frame, std::size_t& index, std::string& error);

    TcpSettings settings_;
    double response_timeout_s_;
    TcpLink link_;
    std::uint16_t transaction_ = 0;
    std::vector<std::uint8_t> request_;   // reused: the hot path allocates nothing
    std::vector<std::uint8_t> answered_;  // per request of the batch in flight
    std::uint64_t stray_answers_ = 0;
    // Pipelined batches wait for all their answers at once (TcpLink::expect)
    // until a batch's answers fell short of that (an exception is shorter
    // than the data it replaces; a unit did not answer): then, for the rest
    // of this connection, answer by answer.
    bool whole_batch_waits_ = true;
};

}  // namespace lykta::modbus
