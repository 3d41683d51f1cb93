// The Foxtron client transport against the simulator's server side over real
// loopback TCP and a real pty, and against a scripted converter on a pty for
// what the simulator does not do (one report per send-twice pair, garbled frames).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdarg>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/foxtron_transport.hpp"
#include "lykta-sim/dali/foxtron_server.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta::dali;
using namespace std::chrono_literals;
using lykta::test::run_until;

namespace {
std::optional<Reply> transact(asio::io_context& io, Transport& t, ForwardFrame f) {
    std::optional<Reply> got;
    auto shape = shape_of(f);
    t.transact(f, {shape.expect_answer, shape.send_twice}, [&](Reply r) { got = r; });
    run_until(io, [&] { return got.has_value(); });
    return got;
}

// The far end of a pty the transport opens: reads what the client sent, writes
// what a converter would answer (Foxtron "DALI232 communication protocol" v1.7).
struct ScriptedConverter {
    int master = -1;
    std::string slave;
    ScriptedConverter() {
        master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        REQUIRE(master >= 0);
        REQUIRE(::grantpt(master) == 0);
        REQUIRE(::unlockpt(master) == 0);
        slave = ::ptsname(master);
        ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    }
    ~ScriptedConverter() { ::close(master); }
    // Waits for the client's next message (SOH..ETB) and returns it.
    std::string next_request(asio::io_context& io) {
        std::string got;
        bool complete = false;  // run_until asks once more at the end: reading must not start over
        REQUIRE(run_until(io, [&] {
            char c;
            while (!complete && ::read(master, &c, 1) == 1) {
                got.push_back(c);
                complete = c == '\x17';
            }
            return complete;
        }));
        return got;
    }
    void reply(const std::vector<std::vector<std::uint8_t>>& messages) {
        std::string bytes;
        for (const auto& m : messages) bytes += foxtron::encode(m);
        REQUIRE(::write(master, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    }
};

StreamOptions fast_options() {
    StreamOptions o;
    o.reply_timeout_s = 0.2;
    o.backoff_min_s = 0.05;
    o.backoff_max_s = 0.2;
    return o;
}

// A transport on the scripted converter's pty, once it is connected.
std::unique_ptr<FoxtronTransport> connected_to(asio::io_context& io, const ScriptedConverter& converter) {
    auto t = std::make_unique<FoxtronTransport>(io, StreamEndpoint{{}, 0, converter.slave}, fast_options());
    t->open();
    REQUIRE(run_until(io, [&] { return t->connected(); }));
    return t;
}
}  // namespace

TEST_CASE("foxtron transport over TCP: answers, no answer, collision", "[dali][foxtron][io]") {
    asio::io_context io;
    SimBus bus;
    bus.add_gear(3, true);
    FoxtronServer server(io, bus, {});
    auto port = server.listen_tcp("127.0.0.1", 0);
    FoxtronTransport t(io, StreamEndpoint{"127.0.0.1", port, {}}, fast_options());
    t.open();
    REQUIRE(run_until(io, [&] { return t.connected(); }));

    CHECK(transact(io, t, dapc(Address::short_address(2), 180)) == Reply::none());
    CHECK(transact(io, t, command(Address::short_address(2), op::query_actual_level)) == Reply::answer(180));
    CHECK(transact(io, t, command(Address::short_address(9), op::query_actual_level)) == Reply::none());
    CHECK(transact(io, t, command(Address::broadcast(), op::query_control_gear_present)) == Reply::framing());
    transact(io, t, special_command(special::dtr0, 40));
    transact(io, t, command(Address::short_address(1), op::set_system_failure_level));  // send twice
    CHECK(bus.gear_at(1)->system_failure_level == 40);
    // The simulator reports both copies by default; the next query is still answered right.
    CHECK(transact(io, t, command(Address::short_address(2), op::query_actual_level)) == Reply::answer(180));
    CHECK(t.link_stats().unexpected == 0);
    CHECK(t.link_stats().rejected == 0);
    t.close();
}

TEST_CASE("foxtron transport: pipelined requests are answered in order, close fails them all",
          "[dali][foxtron][io]") {
    asio::io_context io;
    SimBus bus;
    bus.add_gear(3, true);
    bus.gear_at(1)->receive(dapc(Address::short_address(1), 11), 0, false);
    bus.gear_at(2)->receive(dapc(Address::short_address(2), 22), 0, false);
    FoxtronServer server(io, bus, {});
    auto port = server.listen_tcp("127.0.0.1", 0);
    FoxtronTransport t(io, StreamEndpoint{"127.0.0.1", port, {}}, fast_options());
    REQUIRE(t.pipelines());
    t.open();
    REQUIRE(run_until(io, [&] { return t.connected(); }));
    std::vector<Reply> got;
    for (int a : {2, 9, 1})
        t.transact(command(Address::short_address(a), op::query_actual_level), {true, false},
                   [&](Reply r) { got.push_back(r); });
    REQUIRE(run_until(io, [&] { return got.size() == 3; }));
    CHECK(got == std::vector<Reply>{Reply::answer(22), Reply::none(), Reply::answer(11)});

    got.clear();
    server.silent = true;
    for (int a : {1, 2})
        t.transact(command(Address::short_address(a), op::query_actual_level), {true, false},
                   [&](Reply r) { got.push_back(r); });
    t.close();
    REQUIRE(run_until(io, [&] { return got.size() == 2; }));
    CHECK(got == std::vector<Reply>(2, Reply::failed(BusError::interface)));
}

TEST_CASE("foxtron transport over a pty", "[dali][foxtron][io]") {
    asio::io_context io;
    SimBus bus;
    bus.add_gear(1, true);
    FoxtronServer server(io, bus, {});
    auto path = server.open_pty();
    FoxtronTransport t(io, StreamEndpoint{{}, 0, path}, fast_options());
    t.open();
    REQUIRE(run_until(io, [&] { return t.connected(); }));
    CHECK(t.describe() == "foxtron " + path);
    transact(io, t, dapc(Address::broadcast(), 99));
    CHECK(transact(io, t, command(Address::short_address(0), op::query_actual_level)) == Reply::answer(99));
    t.close();
}

TEST_CASE("foxtron transport survives garbage, disconnects, silence and power loss", "[dali][foxtron][io]") {
    asio::io_context io;
    SimBus bus;
    bus.add_gear(1, true);
    FoxtronServer server(io, bus, {});
    auto port = server.listen_tcp("127.0.0.1", 0);
    FoxtronTransport t(io, StreamEndpoint{"127.0.0.1", port, {}}, fast_options());
    t.open();
    REQUIRE(run_until(io, [&] { return t.connected(); }));
    const auto query = command(Address::short_address(0), op::query_actual_level);

    CHECK(transact(io, t, query) == Reply::answer(0));  // the server has accepted us by now
    server.send_raw(
        "\x01"
        "0D10zz"
        "\x17"
        "garbage\xff\x01"
        "0E1003A0"
        "00"
        "\x17");
    CHECK(transact(io, t, query) == Reply::answer(0));
    CHECK(t.link_stats().rejected >= 1);

    server.disconnect_clients();
    REQUIRE(run_until(io, [&] { return !t.connected(); }));
    CHECK(transact(io, t, query) == Reply::failed(BusError::interface));
    REQUIRE(run_until(io, [&] { return t.connected(); }));
    CHECK(transact(io, t, query) == Reply::answer(0));
    CHECK(t.link_stats().opens == 2);

    server.silent = true;
    for (int i = 0; i < 3; ++i) CHECK(transact(io, t, query) == Reply::failed(BusError::timeout));
    server.silent = false;
    REQUIRE(run_until(io, [&] { return t.link_stats().opens == 3; }));  // reopened after 3 timeouts
    CHECK(transact(io, t, query) == Reply::answer(0));

    server.set_bus_power(false);
    REQUIRE(run_until(io, [&] { return t.bus_power_lost(); }));
    CHECK(transact(io, t, query) == Reply::failed(BusError::power_loss));
    server.set_bus_power(true);
    REQUIRE(run_until(io, [&] { return !t.bus_power_lost(); }));
    CHECK(transact(io, t, query) == Reply::answer(254));  // its SYSTEM FAILURE LEVEL
    t.close();
}

TEST_CASE("foxtron transport: nothing listening means bus errors, not a hang", "[dali][foxtron][io]") {
    asio::io_context io;
    FoxtronTransport t(io, StreamEndpoint{"127.0.0.1", 1, {}}, fast_options());
    t.open();
    REQUIRE(run_until(io, [&] { return t.link_stats().failures >= 2; }));
    CHECK(transact(io, t, command(Address::short_address(0), op::query_status)) ==
          Reply::failed(BusError::interface));
    t.close();
    FoxtronTransport missing(io, StreamEndpoint{{}, 0, "/dev/does-not-exist"}, fast_options());
    missing.open();
    REQUIRE(run_until(io, [&] { return missing.link_stats().failures >= 1; }));
    missing.close();
}

TEST_CASE("foxtron transport sets a serial port to DALI232's line: 19200 8E1, no flow control, DTR",
          "[dali][foxtron][io][serial]") {
    // Foxtron "DALI232 communication protocol" v1.7, §3.1. The far end of a pty pair
    // sees what the client set, except parity: Linux's pty_set_termios clears PARENB
    // (a pty has no line to put parity on), so parity is checked on the setup below.
    asio::io_context io;
    ScriptedConverter converter;
    FoxtronTransport t(io, StreamEndpoint{{}, 0, converter.slave}, fast_options());
    t.open();
    REQUIRE(run_until(io, [&] { return t.connected(); }));
    termios seen{};
    REQUIRE(::tcgetattr(converter.master, &seen) == 0);
    CHECK(::cfgetispeed(&seen) == B19200);
    CHECK(::cfgetospeed(&seen) == B19200);
    CHECK((seen.c_cflag & CSIZE) == CS8);
    CHECK((seen.c_cflag & CSTOPB) == 0);
    CHECK((seen.c_cflag & CRTSCTS) == 0);
    CHECK((seen.c_iflag & (IXON | IXOFF)) == 0);
    CHECK((seen.c_lflag & ICANON) == 0);  // raw
    t.close();
}

namespace {
std::vector<std::pair<unsigned long, int>> modem_calls;
int record_modem_call(int, unsigned long request, ...) {
    va_list args;
    va_start(args, request);
    modem_calls.emplace_back(request, *va_arg(args, int*));
    va_end(args);
    return 0;
}
}  // namespace

TEST_CASE("DALI232 line setup: even parity, and DTR raised (it powers the converter)",
          "[dali][foxtron][serial]") {
    const auto line = dali232_serial_line();  // §3.1
    CHECK(line.baud == 19200);
    CHECK(line.parity == SerialLine::Parity::even);
    CHECK(line.dtr);
    termios t{};
    t.c_cflag = CSTOPB | CRTSCTS | PARODD | CS7;
    t.c_iflag = IXON | IXOFF;
    REQUIRE(set_serial_line(t, line));
    CHECK(::cfgetispeed(&t) == B19200);
    CHECK(::cfgetospeed(&t) == B19200);
    CHECK((t.c_cflag & CSIZE) == CS8);
    CHECK((t.c_cflag & PARENB) != 0);
    CHECK((t.c_cflag & PARODD) == 0);
    CHECK((t.c_cflag & (CSTOPB | CRTSCTS)) == 0);
    CHECK((t.c_cflag & (CLOCAL | CREAD)) == (CLOCAL | CREAD));
    CHECK((t.c_iflag & (IXON | IXOFF)) == 0);
    CHECK_FALSE(set_serial_line(t, SerialLine{12345, SerialLine::Parity::even, true}));

    // A pty has no modem lines (TIOCMGET/TIOCMBIS: ENOTTY), so the DTR request is
    // checked through the ioctl the setup makes.
    ScriptedConverter converter;
    int fd = ::open(converter.slave.c_str(), O_RDWR | O_NOCTTY);
    REQUIRE(fd >= 0);
    modem_calls.clear();
    auto set = configure_serial_line(fd, line, &record_modem_call);
    CHECK_FALSE(set.error);
    CHECK(set.dtr_applied);
    CHECK(modem_calls == std::vector<std::pair<unsigned long, int>>{{TIOCMBIS, TIOCM_DTR}});
    auto on_pty = configure_serial_line(fd, line);  // the real ioctl is skipped on a pty
    CHECK_FALSE(on_pty.error);
    CHECK_FALSE(on_pty.dtr_applied);
    ::close(fd);
}

TEST_CASE("foxtron transport: a send-twice frame reported once or once per copy on the bus",
          "[dali][foxtron][io]") {
    // §4.2 "2x" puts the frame on the bus twice; how often it is reported the document does
    // not say (§4.4/§4.6 are silent about copies). Lykta's choice: either is fine.
    asio::io_context io;
    ScriptedConverter converter;
    FoxtronTransport t(io, StreamEndpoint{{}, 0, converter.slave}, fast_options());
    t.open();
    REQUIRE(run_until(io, [&] { return t.connected(); }));
    const auto store = command(Address::short_address(1), op::set_system_failure_level);  // 03 2C, twice
    const auto query = command(Address::short_address(1), op::query_actual_level);        // 03 A0
    std::vector<Reply> got;
    auto done = [&](Reply r) { got.push_back(r); };

    // Two reports (the simulator's default): the second is no surprise.
    t.transact(store, {false, true}, done);
    CHECK(converter.next_request(io) == foxtron::encode({0x0B, 0x00, 0x10, 0x03, 0x2C, 0x01}));
    t.transact(query, {true, false}, done);
    converter.next_request(io);
    converter.reply(
        {{0x0E, 0x10, 0x03, 0x2C}, {0x0E, 0x10, 0x03, 0x2C}, {0x0D, 0x10, 0x03, 0xA0, 0x08, 0x00}});
    REQUIRE(run_until(io, [&] { return got.size() == 2; }));
    CHECK(got == std::vector<Reply>{Reply::none(), Reply::answer(0)});
    CHECK(t.link_stats().unexpected == 0);

    // A converter that reports the pair once: the next report is still the next frame's.
    got.clear();
    t.transact(store, {false, true}, done);
    t.transact(query, {true, false}, done);
    converter.next_request(io);
    converter.next_request(io);
    converter.reply({{0x0E, 0x10, 0x03, 0x2C}, {0x0D, 0x10, 0x03, 0xA0, 0x08, 0x42}});
    REQUIRE(run_until(io, [&] { return got.size() == 2; }));
    CHECK(got == std::vector<Reply>{Reply::none(), Reply::answer(0x42)});
    CHECK(t.link_stats().unexpected == 0);

    // The second copy unreadable on the bus is worth a warning; our own frame unreadable fails it.
    got.clear();
    t.transact(store, {false, true}, done);
    converter.next_request(io);
    converter.reply({{0x0E, 0x10, 0x03, 0x2C}, {0x0E, 0x00}});
    REQUIRE(run_until(io, [&] { return got.size() == 1 && t.link_stats().unexpected == 1; }));
    t.transact(query, {true, false}, done);
    converter.next_request(io);
    converter.reply({{0x0E, 0x00}});
    REQUIRE(run_until(io, [&] { return got.size() == 2; }));
    CHECK(got == std::vector<Reply>{Reply::none(), Reply::failed(BusError::interface)});

    // Other masters' frames (types 3/4) never complete ours.
    got.clear();
    t.transact(query, {true, false}, done);
    converter.next_request(io);
    converter.reply({{0x03, 0x10, 0x03, 0xA0, 0x08, 0x11},
                     {0x04, 0x18, 0x01, 0x02, 0x03},
                     {0x0D, 0x10, 0x03, 0xA0, 0x08, 0x22}});
    REQUIRE(run_until(io, [&] { return got.size() == 1; }));
    CHECK(got[0] == Reply::answer(0x22));
    CHECK(t.link_stats().rejected == 0);
    t.close();
}

TEST_CASE("foxtron transport: event 6 with two frames outstanding fails the newer one",
          "[dali][foxtron][io]") {
    // §4.11: the converter checks each message as it receives it; the older frame was
    // accepted (it is on the bus) when the newer one drew "invalid command".
    asio::io_context io;
    ScriptedConverter converter;
    auto link = connected_to(io, converter);
    auto& t = *link;
    const auto first = command(Address::short_address(1), op::query_actual_level);   // 03 A0
    const auto second = command(Address::short_address(2), op::query_actual_level);  // 05 A0
    std::optional<Reply> got_first, got_second;
    t.transact(first, {true, false}, [&](Reply r) { got_first = r; });
    t.transact(second, {true, false}, [&](Reply r) { got_second = r; });
    converter.next_request(io);
    converter.next_request(io);
    converter.reply({{0x05, 0x06}});
    REQUIRE(run_until(io, [&] { return got_second.has_value(); }));
    CHECK(*got_second == Reply::failed(BusError::interface));
    CHECK_FALSE(got_first.has_value());
    converter.reply({{0x0D, 0x10, 0x03, 0xA0, 0x08, 0x42}});  // the accepted frame's report
    REQUIRE(run_until(io, [&] { return got_first.has_value(); }));
    CHECK(*got_first == Reply::answer(0x42));
    CHECK(t.link_stats().timeouts == 0);

    // Event 5 with one frame outstanding fails that frame.
    std::optional<Reply> got;
    t.transact(first, {true, false}, [&](Reply r) { got = r; });
    converter.next_request(io);
    converter.reply({{0x05, 0x05}});
    REQUIRE(run_until(io, [&] { return got.has_value(); }));
    CHECK(*got == Reply::failed(BusError::interface));
    CHECK(t.link_stats().timeouts == 0);
    t.close();
}

TEST_CASE("foxtron simulator: --send-twice-reports once|twice (the document does not say)",
          "[dali][foxtron][io]") {
    for (int reports : {1, 2}) {
        asio::io_context io;
        SimBus bus;
        bus.add_gear(2, true);
        FoxtronServer server(io, bus, {false, reports});
        auto port = server.listen_tcp("127.0.0.1", 0);
        // A raw client: SET SYSTEM FAILURE LEVEL to 1 sent twice, then QUERY ACTUAL LEVEL.
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        REQUIRE(fd >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        const std::string request = foxtron::encode({0x0B, 0x00, 0x10, 0x03, 0x2C, 0x01}) +
                                    foxtron::encode({0x0B, 0x00, 0x10, 0x03, 0xA0, 0x00});
        std::size_t sent = 0;
        std::string got;
        REQUIRE(run_until(io, [&] {
            if (sent < request.size()) {
                const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
                if (n > 0) sent += static_cast<std::size_t>(n);
            }
            char buf[256];
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n > 0) got.append(buf, static_cast<std::size_t>(n));
            return got.find(
                       "\x01"
                       "0D1003A0") != std::string::npos;  // the query's report (§4.4)
        }));
        ::close(fd);
        std::size_t copies = 0;
        for (auto at = got.find("\x01"
                                "0E10032C");
             at != std::string::npos; at = got.find("\x01"
                                                    "0E10032C",
                                                    at + 1))
            ++copies;
        CHECK(copies == static_cast<std::size_t>(reports));
    }
}
