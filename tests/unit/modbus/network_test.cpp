// The network worker against a real libmodbus TCP server on loopback: polls
// are scheduled by the worker and delivered to the loop only when their
// result changed or failed; writes are read back; a dead endpoint is
// reported as link down. Waits are bounded and event-driven.
#include <fcntl.h>
#include <modbus/modbus.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

#include "drivers/modbus/network.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta;
using namespace lykta::modbus;
using namespace std::chrono_literals;
using lykta::test::run_until;

namespace {

// A libmodbus server (unit 1: 8 coils, 4 holding and 16 input registers) on a
// free port, serving one client at a time in its own thread. It records the
// function code of every request and can refuse the single-item writes (FC05,
// FC06) as "illegal function", like devices that implement only FC15/FC16.
class TestServer {
public:
    TestServer() : mapping_(modbus_mapping_new(8, 0, 4, 16)) {
        ctx_ = modbus_new_tcp("127.0.0.1", 0);
        listen_ = modbus_tcp_listen(ctx_, 1);
        sockaddr_in addr{};
        socklen_t len = sizeof addr;
        getsockname(listen_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~TestServer() {
        stop_ = true;
        thread_.join();
        ::close(listen_);
        modbus_free(ctx_);
        modbus_mapping_free(mapping_);
    }
    int port() const { return port_; }
    void set_input(int address, std::uint16_t value) {
        std::lock_guard lock(mutex_);
        mapping_->tab_input_registers[address] = value;
    }
    void refuse_single_writes(bool refuse) { refuse_single_ = refuse; }
    std::vector<int> functions() {
        std::lock_guard lock(mutex_);
        return functions_;
    }
    std::uint16_t holding(int address) {
        std::lock_guard lock(mutex_);
        return mapping_->tab_registers[address];
    }

private:
    void serve() {
        int client = -1;
        while (!stop_) {
            pollfd p{client >= 0 ? client : listen_, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            if (client < 0) {
                client = ::accept(listen_, nullptr, nullptr);
                continue;
            }
            std::uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
            modbus_set_socket(ctx_, client);
            int rc = modbus_receive(ctx_, query);
            if (rc < 0) {
                ::close(client);
                client = -1;
                continue;
            }
            std::lock_guard lock(mutex_);
            if (rc <= 0) continue;
            const int function = query[modbus_get_header_length(ctx_)];
            functions_.push_back(function);
            if (refuse_single_ && (function == 0x05 || function == 0x06))
                modbus_reply_exception(ctx_, query, MODBUS_EXCEPTION_ILLEGAL_FUNCTION);
            else
                modbus_reply(ctx_, query, rc, mapping_);
        }
        if (client >= 0) ::close(client);
    }

    modbus_mapping_t* mapping_;
    modbus_t* ctx_ = nullptr;
    int listen_ = -1;
    int port_ = 0;
    std::mutex mutex_;
    std::vector<int> functions_;
    std::atomic<bool> refuse_single_{false};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

config::ModbusNetwork tcp(int port) {
    config::ModbusNetwork n;
    n.id = "test";
    n.type = "tcp";
    n.host = "127.0.0.1";
    n.port = port;
    n.response_timeout_s = 0.2;
    return n;
}

// Runs the loop until `done()` holds or 5 s passed.
}  // namespace

TEST_CASE("polls are delivered on change only, and again when the registers change") {
    TestServer server;
    server.set_input(0, 0x4366);
    server.set_input(1, 0x8000);
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    Network network(io, tcp(server.port()));
    std::vector<std::vector<ReadResult>> delivered;
    network.add_poll(1, {ReadRequest{RegisterType::input, 0, 2, {}}}, 10ms,
                     [&](std::vector<ReadResult> r) { delivered.push_back(std::move(r)); });
    network.start();
    REQUIRE(run_until(io, [&] { return delivered.size() == 1; }));
    REQUIRE(delivered[0].at(0).outcome == Outcome::ok);
    CHECK(delivered[0][0].words == std::vector<std::uint16_t>{0x4366, 0x8000});
    // Unchanged polls go on without waking the loop.
    REQUIRE(run_until(io, [&] { return network.counters().unchanged >= 5; }));
    CHECK(delivered.size() == 1);
    server.set_input(1, 0x0000);
    REQUIRE(run_until(io, [&] { return delivered.size() == 2; }));
    CHECK(delivered[1][0].words == std::vector<std::uint16_t>{0x4366, 0x0000});
    network.stop();
}

TEST_CASE("results of polls that ran back to back reach the loop in one handler, in order") {
    TestServer server;
    server.set_input(0, 1);
    server.set_input(2, 2);
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    Network network(io, tcp(server.port()));
    std::vector<int> order;
    // Both due at once: the worker runs them back to back, then sleeps.
    network.add_poll(1, {ReadRequest{RegisterType::input, 0, 2, {}}}, 1s,
                     [&](std::vector<ReadResult> r) { order.push_back(r.at(0).words.at(0)); });
    network.add_poll(1, {ReadRequest{RegisterType::input, 2, 2, {}}}, 1s,
                     [&](std::vector<ReadResult> r) { order.push_back(r.at(0).words.at(0)); });
    network.start();
    int handlers = 0;
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (order.size() < 2 && std::chrono::steady_clock::now() < deadline) handlers += io.run_one_for(10ms);
    CHECK(order == std::vector<int>{1, 2});
    CHECK(handlers == 1);
    network.stop();
}

TEST_CASE("a write is read back") {
    TestServer server;
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    Network network(io, tcp(server.port()));
    network.start();
    std::optional<WriteResult> result;
    network.write(1, WriteRequest{RegisterType::coil, 3, {}, true},
                  [&](WriteResult r) { result = std::move(r); });
    REQUIRE(run_until(io, [&] { return result.has_value(); }));
    REQUIRE(result->outcome == Outcome::ok);
    REQUIRE(result->readback.outcome == Outcome::ok);
    CHECK(result->readback.bits == std::vector<std::uint8_t>{1});
    result.reset();
    // Unit 1 has 4 holding registers: the device answers with an exception.
    network.write(1, WriteRequest{RegisterType::holding, 10, {7}, false},
                  [&](WriteResult r) { result = std::move(r); });
    REQUIRE(run_until(io, [&] { return result.has_value(); }));
    CHECK(result->outcome == Outcome::exception);
    CHECK(result->exception_code == 2);
    network.stop();
}

TEST_CASE("write_multiple sends FC15/FC16 even for one coil or register") {
    TestServer server;
    server.refuse_single_writes(true);
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    Network network(io, tcp(server.port()));
    network.start();
    std::optional<WriteResult> result;
    auto write = [&](WriteRequest request) {
        result.reset();
        network.write(1, request, [&](WriteResult r) { result = std::move(r); });
        REQUIRE(run_until(io, [&] { return result.has_value(); }));
    };
    // The plain single writes are refused by this device ...
    write(WriteRequest{RegisterType::coil, 2, {}, true, false});
    CHECK(result->outcome == Outcome::exception);
    CHECK(result->exception_code == MODBUS_EXCEPTION_ILLEGAL_FUNCTION);
    write(WriteRequest{RegisterType::holding, 1, {0x1234}, false, false});
    CHECK(result->outcome == Outcome::exception);
    // ... "write multiple" with one item is taken, and read back.
    write(WriteRequest{RegisterType::coil, 2, {}, true, true});
    REQUIRE(result->outcome == Outcome::ok);
    CHECK(result->readback.bits == std::vector<std::uint8_t>{1});
    write(WriteRequest{RegisterType::holding, 1, {0x1234}, false, true});
    REQUIRE(result->outcome == Outcome::ok);
    CHECK(result->readback.words == std::vector<std::uint16_t>{0x1234});
    CHECK(server.holding(1) == 0x1234);
    // FC05, FC06 refused; FC15 + FC01 readback; FC16 + FC03 readback.
    CHECK(server.functions() == std::vector<int>{0x05, 0x06, 0x0F, 0x01, 0x10, 0x03});
    network.stop();
}

TEST_CASE("a closed port is reported as link down, every cycle, without blocking the loop") {
    int port = 0;
    {
        TestServer gone;  // take a free port, then let it go
        port = gone.port();
    }
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    Network network(io, tcp(port));
    int failures = 0;
    network.add_poll(1, {ReadRequest{RegisterType::input, 0, 2, {}}}, 10ms,
                     [&](std::vector<ReadResult> r) { failures += r.at(0).outcome == Outcome::link_down; });
    network.start();
    REQUIRE(run_until(io, [&] { return failures >= 3; }));
    network.stop();
}

TEST_CASE("a serial port on which nothing answers is closed and reopened") {
    // A pty pair stands in for an RS-485 adapter whose bus went dead: the
    // test holds the master side and never answers.
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(grantpt(master) == 0);
    REQUIRE(unlockpt(master) == 0);
    config::ModbusNetwork rtu;
    rtu.id = "dead";
    rtu.type = "rtu";
    rtu.device = ptsname(master);
    rtu.baud = 115200;
    rtu.response_timeout_s = 0.05;
    rtu.byte_timeout_s = 0.01;
    rtu.reopen_after_s = 0.2;
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    Network network(io, rtu);
    int timeouts = 0;
    network.add_poll(1, {ReadRequest{RegisterType::coil, 0, 8, {}}}, 20ms,
                     [&](std::vector<ReadResult> r) { timeouts += r.at(0).outcome == Outcome::timeout; });
    network.start();
    REQUIRE(run_until(io, [&] { return network.counters().reopens >= 2; }));
    CHECK(timeouts >= 2);
    network.stop();
    ::close(master);
}
