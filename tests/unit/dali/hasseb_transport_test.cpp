// The hasseb transport against a fake device played by the test. A real hidraw
// node cannot exist here; a Unix SOCK_SEQPACKET socket stands in for it (one
// datagram per HID report, as hidraw reads and writes carry one report each).
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/hasseb_transport.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta::dali;
using namespace std::chrono_literals;
using lykta::test::run_until;
using Bytes = std::vector<std::uint8_t>;

namespace {
struct FakeDevice {
    int listener = -1, conn = -1;
    std::string path;
    FakeDevice() {
        path = (std::filesystem::temp_directory_path() /
                ("lykta-hasseb-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++)))
                   .string();
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
        listener = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
        REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(listener, 2) == 0);
    }
    ~FakeDevice() {
        if (conn >= 0) ::close(conn);
        ::close(listener);
        ::unlink(path.c_str());
    }
    static int& counter() {
        static int n = 0;
        return n;
    }
    bool accept() {
        if (conn >= 0) return true;
        conn = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
        return conn >= 0;
    }
    std::optional<Bytes> read_report() {  // one datagram, or nullopt when none is waiting
        std::uint8_t buf[64];
        const ssize_t n = ::recv(conn, buf, sizeof buf, MSG_DONTWAIT);
        if (n <= 0) return std::nullopt;
        return Bytes(buf, buf + n);
    }
    void send(const Bytes& r) {
        REQUIRE(::send(conn, r.data(), r.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(r.size()));
    }
};

struct Rig {
    FakeDevice dev;
    asio::io_context io;
    std::unique_ptr<HassebTransport> t;
    std::optional<Bytes> got;
    explicit Rig(double reply_timeout_s = 0.3) {
        StreamOptions o;
        o.reply_timeout_s = reply_timeout_s;
        o.backoff_min_s = 0.05;
        t = std::make_unique<HassebTransport>(io, dev.path, o);
        t->open();
        REQUIRE(run_until(io, [&] { return dev.accept(); }));
    }
    Bytes next_report() {
        got.reset();
        REQUIRE(run_until(io, [&] {
            if (!got) got = dev.read_report();
            return got.has_value();
        }));
        return *got;
    }
    // Answers the firmware request the transport sends on every open.
    void firmware(std::uint8_t major, std::uint8_t minor) {
        auto req = next_report();
        REQUIRE(req.size() == 10);
        CHECK(req[0] == 0xAA);
        CHECK(req[1] == 0x02);
        dev.send({0xAA, 0x02, req[2], major, minor, 0, 0, 0, 0, 0});
    }
    // Firmware 2.3 accepted, then QUERY ACTUAL LEVEL to `address`: returns the request.
    Bytes query_level(int address, std::optional<Reply>& got) {
        firmware(2, 3);
        REQUIRE(run_until(io, [&] { return t->firmware().has_value(); }));
        t->transact(command(Address::short_address(address), op::query_actual_level), {true, false},
                    [&](Reply r) { got = r; });
        return next_report();
    }
};
}  // namespace

TEST_CASE("hasseb transport: firmware 2.3 verified, queries matched by sequence", "[dali][hasseb][io]") {
    Rig rig;
    // Before the firmware answered, nothing goes to the device.
    std::optional<Reply> early;
    rig.t->transact(dapc(Address::short_address(3), 100), {}, [&](Reply r) { early = r; });
    REQUIRE(run_until(rig.io, [&] { return early.has_value(); }));
    CHECK(*early == Reply::failed(BusError::interface));
    rig.firmware(2, 3);
    REQUIRE(run_until(rig.io, [&] { return rig.t->firmware().has_value(); }));
    CHECK(rig.t->firmware()->minor == 3);

    std::optional<Reply> got;
    rig.t->transact(command(Address::short_address(3), op::query_actual_level), {true, false},
                    [&](Reply r) { got = r; });
    auto req = rig.next_report();
    REQUIRE(req.size() == 10);
    CHECK(req[1] == 0x07);
    CHECK(req[4] == 1);
    rig.dev.send({0xAA, 0x07, static_cast<std::uint8_t>(req[2] - 1), 2, 8, 0x11, 0, 0, 0, 0});  // stale
    rig.dev.send({0xAA, 0x07, 0, 5, 8, 0x12, 0, 0, 0, 0});  // sniffer byte
    rig.dev.send({0xAA, 0x07, req[2], 2, 8, 0x64, 0, 0, 0, 0});
    REQUIRE(run_until(rig.io, [&] { return got.has_value(); }));
    CHECK(*got == Reply::answer(0x64));

    got.reset();  // a garbled backward frame
    rig.t->transact(command(Address::broadcast(), op::query_status), {true, false},
                    [&](Reply r) { got = r; });
    req = rig.next_report();
    rig.dev.send({0xAA, 0x07, req[2], 3, 0, 0, 0, 0, 0, 0});
    REQUIRE(run_until(rig.io, [&] { return got.has_value(); }));
    CHECK(*got == Reply::framing());

    got.reset();  // the device stays silent: a timeout, not a hang
    rig.t->transact(command(Address::short_address(1), op::query_status), {true, false},
                    [&](Reply r) { got = r; });
    REQUIRE(run_until(rig.io, [&] { return got.has_value(); }));
    CHECK(*got == Reply::failed(BusError::timeout));
}

TEST_CASE("hasseb transport: a short read is dropped alone, the next report still matches",
          "[dali][hasseb][io]") {
    Rig rig;
    std::optional<Reply> got;
    auto req = rig.query_level(2, got);
    rig.dev.send({0xAA, 0x07, req[2]});  // 3 bytes: joined with the next read it would shift the stream
    rig.dev.send({0xAA, 0x07, req[2], 2, 8, 0x42, 0, 0, 0, 0});
    REQUIRE(run_until(rig.io, [&] { return got.has_value(); }));
    CHECK(*got == Reply::answer(0x42));
    CHECK(rig.t->link_stats().rejected == 1);
}

TEST_CASE("hasseb transport: a query answered with status 0 fails at once as an interface error",
          "[dali][hasseb][io]") {
    Rig rig(30.0);  // a timeout would fail the test's own deadline first
    std::optional<Reply> got;
    auto req = rig.query_level(2, got);
    rig.dev.send({0xAA, 0x07, req[2], 0, 0, 0, 0, 0, 0, 0});
    REQUIRE(run_until(
        rig.io, [&] { return got.has_value(); }, 10s));
    CHECK(*got == Reply::failed(BusError::interface));
    CHECK(rig.t->link_stats().unexpected == 1);
    CHECK(rig.t->link_stats().timeouts == 0);
}

TEST_CASE("hasseb transport: commands end after their bus time, not when written", "[dali][hasseb][io]") {
    Rig rig;
    rig.firmware(2, 3);
    REQUIRE(run_until(rig.io, [&] { return rig.t->firmware().has_value(); }));
    for (bool twice : {false, true}) {
        std::optional<Reply> got;
        std::chrono::steady_clock::time_point done_at;
        const auto start = std::chrono::steady_clock::now();
        const ForwardFrame f =
            twice ? command(Address::broadcast(), op::set_fade_time) : dapc(Address::short_address(3), 100);
        rig.t->transact(f, {false, twice}, [&](Reply r) {
            got = r;
            done_at = std::chrono::steady_clock::now();
        });
        auto req = rig.next_report();
        CHECK(req[4] == 0);
        CHECK(req[6] == (twice ? 10 : 0));
        REQUIRE(run_until(rig.io, [&] { return got.has_value(); }));
        CHECK(*got == Reply::none());
        // Finishing earlier would let the next frame into the device's small queue before
        // this one left the bus (it drops overflow silently).
        const double held = std::chrono::duration<double>(done_at - start).count();
        CHECK(held >= HassebTransport::bus_time_s({false, twice}));
    }
    CHECK(HassebTransport::bus_time_s({false, true}) > HassebTransport::bus_time_s({false, false}));
}

TEST_CASE("hasseb transport: firmware below 2.3 or the 1.x protocol is refused", "[dali][hasseb][io]") {
    SECTION("2.2 answers, but is too old") {
        Rig rig;
        rig.firmware(2, 2);
        REQUIRE(run_until(rig.io, [&] { return rig.t->link_stats().failures >= 1; }));
        CHECK_FALSE(rig.t->firmware());
        REQUIRE(run_until(rig.io, [&] { return rig.t->link_stats().opens >= 2; }));  // it keeps trying
    }
    SECTION("1.x answers in its own 2-byte reports, never with a version") {
        Rig rig;
        auto req = rig.next_report();
        CHECK(req[1] == 0x02);
        rig.dev.send({0x00, 0x00});
        REQUIRE(run_until(
            rig.io, [&] { return rig.t->link_stats().failures >= 1; }, 5s));
        CHECK_FALSE(rig.t->firmware());
        CHECK(rig.t->link_stats().rejected >= 1);
        std::optional<Reply> got;
        rig.t->transact(dapc(Address::short_address(0), 1), {}, [&](Reply r) { got = r; });
        REQUIRE(run_until(rig.io, [&] { return got.has_value(); }));
        CHECK(*got == Reply::failed(BusError::interface));
    }
}
