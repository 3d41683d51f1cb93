// BlockingWriter: a write that blocks (as a hidraw write does while the USB
// transfer is pending) keeps its own thread busy, never the event loop.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <catch2/catch.hpp>
#include <chrono>

#include "drivers/dali/blocking_writer.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta::dali;
using lykta::test::run_until;

TEST_CASE("blocking writer: a stalled device does not stall the loop", "[dali][hasseb][io]") {
    int p[2];
    REQUIRE(::pipe(p) == 0);             // blocking write end: write() waits while nobody reads
    ::fcntl(p[0], F_SETFL, O_NONBLOCK);  // the test's read end only (its own file description)
    const int size = ::fcntl(p[1], F_GETPIPE_SZ);
    REQUIRE(size > 0);
    asio::io_context io;
    BlockingWriter writer(io);
    writer.attach(p[1]);
    int written = 0;
    std::error_code result;
    // Twice the pipe's capacity: the second half can only go once the reader drains the pipe.
    writer.write(std::string(static_cast<std::size_t>(size) * 2, 'x'), [&](std::error_code ec) {
        result = ec;
        ++written;
    });
    asio::steady_timer timer(io);
    bool ticked = false;
    timer.expires_after(std::chrono::milliseconds(20));
    timer.async_wait([&](std::error_code) { ticked = true; });
    REQUIRE(run_until(io, [&] { return ticked; }));  // the loop runs while the write is stuck
    CHECK(written == 0);

    std::string drained;
    char buf[4096];
    REQUIRE(run_until(io, [&] {
        const ssize_t n = ::read(p[0], buf, sizeof buf);
        if (n > 0) drained.append(buf, static_cast<std::size_t>(n));
        return written == 1 && drained.size() == static_cast<std::size_t>(size) * 2;
    }));
    CHECK_FALSE(result);

    ::close(p[0]);
    ::close(p[1]);

    // A write to a device that went away reports its error on the loop (the socket
    // stand-in for hidraw: no SIGPIPE).
    int s[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s) == 0);
    writer.attach(s[0]);
    ::close(s[0]);  // the writer holds its own duplicate
    ::close(s[1]);
    writer.write("y", [&](std::error_code ec) {
        result = ec;
        ++written;
    });
    REQUIRE(run_until(io, [&] { return written == 2; }));
    CHECK(result == std::error_code(EPIPE, std::system_category()));
}
