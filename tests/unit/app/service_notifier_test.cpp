// The watchdog pings of ServiceNotifier on virtual time, received on a real
// AF_UNIX datagram socket named by $NOTIFY_SOCKET, as systemd would
// (sd_notify(3), systemd 252: "WATCHDOG=1" every WATCHDOG_USEC / 2 here).
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "gateway/app/service_notifier.hpp"
#include "gateway/core/manual_timers.hpp"

using namespace std::chrono_literals;

namespace {

// A bound datagram socket in a temporary directory; what arrived, without blocking.
struct NotifySocket {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("lykta-notify-" + std::to_string(::getpid()));
    int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    NotifySocket() {
        std::filesystem::remove(path);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    }
    ~NotifySocket() {
        ::close(fd);
        std::filesystem::remove(path);
    }
    std::vector<std::string> received() {
        std::vector<std::string> out;
        char buffer[512];
        for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) out.emplace_back(buffer, n);
        return out;
    }
};

// Sets the variables systemd passes for the notifier's lifetime.
struct Environment {
    Environment(const std::string& socket, const std::string& watchdog_usec) {
        ::setenv("NOTIFY_SOCKET", socket.c_str(), 1);
        ::setenv("WATCHDOG_USEC", watchdog_usec.c_str(), 1);
        ::unsetenv("WATCHDOG_PID");
    }
    ~Environment() {
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
    }
};

}  // namespace

TEST_CASE("watchdog pings go out at half of WATCHDOG_USEC until stopping", "[app][systemd]") {
    NotifySocket socket;
    Environment env(socket.path.string(), "2000000");  // 2 s: a ping every second
    lykta::ManualClock clock;
    lykta::ManualTimers timers(clock);
    lykta::ServiceNotifier notifier(timers);
    REQUIRE(notifier.under_systemd());

    clock.advance(999ms);
    CHECK(socket.received().empty());
    clock.advance(1ms);
    CHECK(socket.received() == std::vector<std::string>{"WATCHDOG=1"});
    clock.advance(3s);
    CHECK(socket.received().size() == 3);  // one a second

    notifier.stopping();
    CHECK(socket.received() == std::vector<std::string>{"STOPPING=1"});
    clock.advance(1min);
    CHECK(socket.received().empty());  // no pings after STOPPING=1
}

TEST_CASE("no watchdog pings without WATCHDOG_USEC", "[app][systemd]") {
    NotifySocket socket;
    Environment env(socket.path.string(), "");
    ::unsetenv("WATCHDOG_USEC");
    lykta::ManualClock clock;
    lykta::ManualTimers timers(clock);
    lykta::ServiceNotifier notifier(timers);
    CHECK(timers.pending() == 0);
    clock.advance(1h);
    CHECK(socket.received().empty());
}
