#pragma once
// A blocking Modbus TCP socket for one network's worker thread, built for
// the fewest system calls per transaction: one send() per request (or per
// pipelined batch of requests) and, on loopback and LAN, one recv() per
// answer (or per batch of answers), where libmodbus spends one send and
// three select + recv pairs (docs/modbus.md, "Modbus TCP transport").
// The response timeout is the socket's SO_RCVTIMEO, so waiting costs no
// extra poll()/select() call. Framing is mbap.hpp's; this only moves bytes.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "drivers/modbus/transaction.hpp"

namespace lykta::modbus {

class TcpLink {
public:
    TcpLink() = default;
    ~TcpLink();
    TcpLink(const TcpLink&) = delete;
    TcpLink& operator=(const TcpLink&) = delete;

    // Resolves and connects within `timeout` (each receive then waits at most
    // `timeout` for more bytes); false with `error` set when it fails.
    bool open(const std::string& host, int port, std::chrono::duration<double> timeout, std::string& error);
    void close();
    bool is_open() const { return fd_ >= 0; }

    // Sends all of `bytes`: ok, or link_down with `error`.
    Outcome send(std::span<const std::uint8_t> bytes, std::string& error);
    // The next complete ADU (valid until the next receive): timeout when no
    // byte came for the response timeout, bad_response when the stream holds
    // something that is not a Modbus TCP frame (the stream is then lost:
    // close and reopen), link_down when the peer closed or the socket failed.
    Outcome receive(std::span<const std::uint8_t>& frame, std::string& error);
    // Bytes received but not yet handed out (answers nobody waits for).
    std::size_t buffered() const { return end_ - begin_; }
    // Wake the next wait only once `bytes` are there (SO_RCVLOWAT: Linux
    // holds the wake-ups below it back, 4.19+): a pipelined batch whose
    // answers come one by one then costs one wake-up, not one per answer.
    // A wait that ends on the timeout below the mark hands out what came;
    // the mark goes back to 1, the bytes still missing count as timed out
    // (no second wait), and `expect_missed()` says so until the next expect.
    void expect(std::size_t bytes);
    bool expect_missed() const { return missed_; }

private:
    int fd_ = -1;
    double timeout_s_ = 0.5;
    std::vector<std::uint8_t> buffer_ = std::vector<std::uint8_t>(8192);
    std::size_t lowat_ = 1;  // the socket's SO_RCVLOWAT
    bool missed_ = false;    // a wait ended on the timeout below lowat_
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

}  // namespace lykta::modbus
