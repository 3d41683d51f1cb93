// A network (loop-side schedule, worker-side I/O) against a real libmodbus
// TCP server on loopback: polls are scheduled on the loop and delivered to the loop only when their
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
#include "tests/unit/modbus/libmodbus_server.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta;
using namespace lykta::modbus;
using namespace std::chrono_literals;
using lykta::test::run_until;
using lykta::test::TestServer;

namespace {

NetworkConfig tcp(int port) {
    NetworkConfig n;
    n.id = "test";
    n.link = TcpSettings{"127.0.0.1", port, 1};
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
                     [&](const std::vector<ReadResult>& r) { delivered.push_back(r); });
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
                     [&](const std::vector<ReadResult>& r) { order.push_back(r.at(0).words.at(0)); });
    network.add_poll(1, {ReadRequest{RegisterType::input, 2, 2, {}}}, 1s,
                     [&](const std::vector<ReadResult>& r) { order.push_back(r.at(0).words.at(0)); });
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
    network.add_poll(
        1, {ReadRequest{RegisterType::input, 0, 2, {}}}, 10ms,
        [&](const std::vector<ReadResult>& r) { failures += r.at(0).outcome == Outcome::link_down; });
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
    NetworkConfig rtu;
    rtu.id = "dead";
    RtuSettings port;
    port.device = ptsname(master);
    port.baud = 115200;
    port.byte_timeout_s = 0.01;
    rtu.link = port;
    rtu.response_timeout_s = 0.05;
    rtu.reopen_after_s = 0.2;
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    Network network(io, rtu);
    int timeouts = 0;
    network.add_poll(
        1, {ReadRequest{RegisterType::coil, 0, 8, {}}}, 20ms,
        [&](const std::vector<ReadResult>& r) { timeouts += r.at(0).outcome == Outcome::timeout; });
    network.start();
    REQUIRE(run_until(io, [&] { return network.counters().reopens >= 2; }));
    CHECK(timeouts >= 2);
    network.stop();
    ::close(master);
}
