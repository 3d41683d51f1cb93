// BlockingWriter: a write that blocks (as a hidraw write does while the USB
// transfer is pending) keeps its own thread busy, never the event loop.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "drivers/dali/blocking_writer.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta::dali;
using lykta::test::run_until;
using namespace std::chrono_literals;

namespace {
// A SOCK_SEQPACKET pair (the hasseb stand-in) whose writing end shares the loop's
// O_NONBLOCK and whose peer stays connected but reads nothing: filled until it says EAGAIN.
struct StalledPeer {
    int s[2] = {-1, -1};
    StalledPeer() {
        REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s) == 0);
        ::fcntl(s[0], F_SETFL, O_NONBLOCK);
        const std::string report(10, 'r');
        while (::send(s[0], report.data(), report.size(), MSG_NOSIGNAL) > 0) {
        }
        REQUIRE((errno == EAGAIN || errno == EWOULDBLOCK));
    }
    ~StalledPeer() {
        ::close(s[0]);
        ::close(s[1]);
    }
};

// Destroys the writer on a thread of its own; false when that has not returned by the
// deadline (the writer is then left to its thread, so a failing test fails, not hangs).
bool destroyed_within(std::unique_ptr<BlockingWriter> writer, std::shared_ptr<asio::io_context> io,
                      std::chrono::seconds deadline) {
    auto finished = std::make_shared<std::promise<void>>();
    auto done = finished->get_future();
    std::thread([writer = std::move(writer), io, finished]() mutable {
        writer.reset();
        finished->set_value();
    }).detach();
    return done.wait_for(deadline) == std::future_status::ready;
}
}  // namespace

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

TEST_CASE("blocking writer: a peer that stops reading fails the write after the stall limit",
          "[dali][hasseb][io]") {
    StalledPeer peer;
    asio::io_context io;
    BlockingWriter writer(io, 100ms);
    writer.attach(peer.s[0]);
    std::optional<std::error_code> result;
    writer.write(std::string(10, 'w'), [&](std::error_code ec) { result = ec; });
    REQUIRE(run_until(io, [&] { return result.has_value(); }));
    CHECK(*result == std::error_code(ETIMEDOUT, std::system_category()));
}

TEST_CASE("blocking writer: a write stuck on a detached link gives way to the new one",
          "[dali][hasseb][io]") {
    auto io = std::make_shared<asio::io_context>();  // outlives a writer left behind on failure
    StalledPeer old_link;
    auto writer = std::make_unique<BlockingWriter>(*io, std::chrono::hours(1));
    writer->attach(old_link.s[0]);
    int old_done = 0;
    writer->write(std::string(10, 'o'), [&](std::error_code) { ++old_done; });
    REQUIRE(run_until(*io, [&] { return writer->stalled_writes() == 1; }));  // waiting, not queued

    int s[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, s) == 0);
    ::fcntl(s[1], F_SETFL, O_NONBLOCK);
    writer->attach(s[0]);
    std::optional<std::error_code> result;
    writer->write("new", [&](std::error_code ec) { result = ec; });
    char buf[16];
    ssize_t got = -1;
    const bool arrived = run_until(*io, [&] {
        if (got <= 0) got = ::recv(s[1], buf, sizeof buf, 0);
        return got > 0 && result.has_value();
    });
    if (!arrived) (void)writer.release();  // stuck on the old link: do not hang the test run
    REQUIRE(arrived);
    CHECK(std::string(buf, static_cast<std::size_t>(got)) == "new");
    CHECK_FALSE(*result);
    CHECK(old_done == 0);  // the old link's write is dropped without a callback, like queued ones
    CHECK(destroyed_within(std::move(writer), io, 10s));
    ::close(s[0]);
    ::close(s[1]);
}

TEST_CASE("blocking writer: destroyed while its peer reads nothing: the destructor returns", "[dali][hasseb][io]") {
    auto io = std::make_shared<asio::io_context>();
    StalledPeer peer;
    auto writer = std::make_unique<BlockingWriter>(*io, std::chrono::hours(1));
    writer->attach(peer.s[0]);
    int done = 0;
    for (int i = 0; i < 3; ++i) writer->write(std::string(10, 'w'), [&](std::error_code) { ++done; });
    REQUIRE(run_until(*io, [&] { return writer->stalled_writes() == 1; }));  // the first is waiting
    CHECK(destroyed_within(std::move(writer), io, 10s));
    io->restart();
    io->poll();
    CHECK(done == 0);  // nobody waits for a stopped writer's writes
}
