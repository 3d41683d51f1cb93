// The hasseb transport's report handling, with a pty standing in for /dev/hidraw
// (no hardware here): the test plays the device on the master side.
#include <fcntl.h>
#include <unistd.h>

#include <termios.h>
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/hasseb_transport.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta::dali;
using namespace std::chrono_literals;
using lykta::test::run_until;

namespace {
struct FakeDevice {
    int master = -1;
    std::string path;
    FakeDevice() {
        master = ::posix_openpt(O_RDWR | O_NOCTTY);
        ::grantpt(master);
        ::unlockpt(master);
        path = ::ptsname(master);
        termios t{};
        ::tcgetattr(master, &t);
        ::cfmakeraw(&t);
        ::tcsetattr(master, TCSANOW, &t);
        ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    }
    ~FakeDevice() { ::close(master); }
    std::string read_all() {
        std::string out;
        char buf[64];
        for (ssize_t n; (n = ::read(master, buf, sizeof buf)) > 0;)
            out.append(buf, static_cast<std::size_t>(n));
        return out;
    }
    void write_report(std::array<std::uint8_t, 10> r) {
        REQUIRE(::write(master, r.data(), r.size()) == static_cast<ssize_t>(r.size()));
    }
};

}  // namespace

TEST_CASE("hasseb transport: reports out, answers matched by sequence", "[dali][hasseb][io]") {
    FakeDevice dev;
    asio::io_context io;
    StreamOptions o;
    o.reply_timeout_s = 0.3;
    HassebTransport t(io, dev.path, o);
    t.open();
    REQUIRE(run_until(io, [&] { return t.connected(); }));

    std::optional<Reply> got;
    t.transact(dapc(Address::short_address(3), 100), {false, false}, [&](Reply r) { got = r; });
    REQUIRE(run_until(io, [&] { return got.has_value(); }));
    CHECK(*got == Reply::none());  // commands end once written
    std::string sent;
    REQUIRE(run_until(io, [&] { return (sent += dev.read_all()).size() >= 10; }));
    CHECK(sent.substr(0, 10) == std::string("\xAA\x07\x01\x10\x00\x00\x00\x06\x64\x00", 10));

    got.reset();
    t.transact(command(Address::short_address(3), op::query_actual_level), {true, false},
               [&](Reply r) { got = r; });
    sent.clear();
    REQUIRE(run_until(io, [&] { return (sent += dev.read_all()).size() >= 10; }));
    CHECK(static_cast<std::uint8_t>(sent[2]) == 2);
    dev.write_report({0xAA, 0x07, 1, 2, 1, 0x11, 0, 0, 0, 0});  // stale sequence: ignored
    dev.write_report({0xAA, 0x07, 2, 2, 1, 0x64, 0, 0, 0, 0});
    REQUIRE(run_until(io, [&] { return got.has_value(); }));
    CHECK(*got == Reply::answer(0x64));

    got.reset();
    t.transact(command(Address::broadcast(), op::query_status), {true, false}, [&](Reply r) { got = r; });
    run_until(io, [&] { return dev.read_all().size() >= 10; });
    dev.write_report({0xAA, 0x07, 3, 3, 0, 0, 0, 0, 0, 0});
    REQUIRE(run_until(io, [&] { return got.has_value(); }));
    CHECK(*got == Reply::framing());

    got.reset();  // the device stays silent: a timeout, not a hang
    t.transact(command(Address::short_address(1), op::query_status), {true, false},
               [&](Reply r) { got = r; });
    REQUIRE(run_until(io, [&] { return got.has_value(); }));
    CHECK(*got == Reply::failed(BusError::timeout));
    t.close();
}
