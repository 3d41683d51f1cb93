// The Foxtron client transport against the simulator's server side over real
// loopback TCP and a real pty.
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/foxtron_server.hpp"
#include "drivers/dali/foxtron_transport.hpp"
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

StreamOptions fast_options() {
    StreamOptions o;
    o.reply_timeout_s = 0.2;
    o.backoff_min_s = 0.05;
    o.backoff_max_s = 0.2;
    return o;
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
