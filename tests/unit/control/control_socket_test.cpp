#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "gateway/control/control_client.hpp"
#include "gateway/control/control_server.hpp"

using namespace lykta::control;

namespace {

std::string temp_socket_path(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("lykta-ctl-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto path = (dir / name).string();
    std::filesystem::remove(path);
    return path;
}

// A server on its own loop thread; the test thread plays lyktactl.
struct RunningServer {
    asio::io_context io;
    ControlServer server;
    std::thread thread;

    RunningServer(const std::string& path, Dispatch dispatch) : server(io, path, std::move(dispatch)) {}
    void run() {
        std::string error;
        REQUIRE(server.start(&error));
        thread = std::thread([this] {
            auto guard = asio::make_work_guard(io);
            io.run();
        });
    }
    ~RunningServer() {
        asio::post(io, [this] {
            server.stop();
            io.stop();
        });
        if (thread.joinable()) thread.join();
    }
};

// Raw line exchange, for inputs the client library would never send.
std::string exchange_raw(const std::string& path, const std::string& bytes) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    std::string out;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n') out.push_back(c);
    ::close(fd);
    return out;
}

}  // namespace

TEST_CASE("a request reaches the dispatcher and its response comes back") {
    auto path = temp_socket_path("roundtrip.sock");
    std::mutex mutex;  // commands is filled on the loop thread, read here
    std::vector<std::string> commands;
    RunningServer s(path, [&](const std::string& command, const std::string& payload, auto reply) {
        {
            std::lock_guard lock(mutex);
            commands.push_back(command);
        }
        auto args = nlohmann::json::parse(payload);
        CHECK_FALSE(args.contains("command"));
        reply(
            nlohmann::json{{"id", args.value("id", "")}, {"status", "ok"}, {"data", {{"echo", args["area"]}}}}
                .dump());
    });
    s.run();
    auto response = call(path, "explain", {{"id", "x1"}, {"area", "torget"}});
    CHECK(response["status"] == "ok");
    CHECK(response["id"] == "x1");
    CHECK(response["data"]["echo"] == "torget");
    auto second = call(path, "faults/list", nlohmann::json::object());
    CHECK(second["status"] == "ok");
    // Both commands were dispatched, in order, on the server's loop.
    std::lock_guard lock(mutex);
    REQUIRE(commands.size() == 2);
    CHECK(commands[0] == "explain");
    CHECK(commands[1] == "faults/list");
}

TEST_CASE("requests on one connection are answered in order even when answered later") {
    auto path = temp_socket_path("order.sock");
    asio::io_context* loop = nullptr;
    RunningServer s(path, [&](const std::string& command, const std::string&, auto reply) {
        // Answer asynchronously, after a detour through the loop.
        asio::post(*loop, [reply, command] {
            reply(nlohmann::json{{"status", "ok"}, {"data", command}}.dump());
        });
    });
    loop = &s.io;
    s.run();
    std::string both = "{\"command\":\"first\"}\n{\"command\":\"second\"}\n";
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    REQUIRE(::write(fd, both.data(), both.size()) == static_cast<ssize_t>(both.size()));
    std::string text;
    char c = 0;
    int lines = 0;
    while (lines < 2 && ::read(fd, &c, 1) == 1) {
        text.push_back(c);
        if (c == '\n') ++lines;
    }
    ::close(fd);
    REQUIRE(lines == 2);
    auto first_end = text.find('\n');
    CHECK(nlohmann::json::parse(text.substr(0, first_end))["data"] == "first");
    CHECK(nlohmann::json::parse(text.substr(first_end + 1))["data"] == "second");
}

TEST_CASE("malformed request lines get error envelopes and reach no handler") {
    auto path = temp_socket_path("bad.sock");
    std::atomic<int> dispatched = 0;
    RunningServer s(path, [&](const std::string&, const std::string&, auto reply) {
        ++dispatched;
        reply("{}");
    });
    s.run();
    auto not_json = nlohmann::json::parse(exchange_raw(path, "this is not json\n"));
    CHECK(not_json["status"] == "error");
    CHECK(not_json["error"]["code"] == "bad_json");
    auto array = nlohmann::json::parse(exchange_raw(path, "[1,2]\n"));
    CHECK(array["error"]["code"] == "bad_json");
    auto no_command = nlohmann::json::parse(exchange_raw(path, "{\"area\":\"torget\"}\n"));
    CHECK(no_command["error"]["code"] == "bad_request");
    auto number_command = nlohmann::json::parse(exchange_raw(path, "{\"command\":7}\n"));
    CHECK(number_command["error"]["code"] == "bad_request");
    std::string huge(ControlServer::max_line + 10, 'x');
    auto too_long = nlohmann::json::parse(exchange_raw(path, huge));
    CHECK(too_long["error"]["code"] == "too_large");
    CHECK(dispatched == 0);  // every answer above came back, so the loop is past them
}

TEST_CASE("a stale socket file is replaced, a live one is left to its owner") {
    auto path = temp_socket_path("stale.sock");
    {
        std::ofstream stale(path);
        stale << "left over by a crash";
    }
    RunningServer first(path, [](const std::string&, const std::string&, auto reply) {
        reply(R"({"status":"ok","data":"first"})");
    });
    first.run();
    CHECK(call(path, "x", {})["data"] == "first");

    asio::io_context io;
    ControlServer second(io, path, [](const std::string&, const std::string&, auto reply) { reply("{}"); });
    std::string error;
    CHECK_FALSE(second.start(&error));
    CHECK(error.find("in use") != std::string::npos);
    CHECK(call(path, "x", {})["data"] == "first");
}

TEST_CASE("the client names the socket when no daemon listens") {
    auto path = temp_socket_path("nobody.sock");
    try {
        call(path, "explain", {}, std::chrono::milliseconds(500));
        FAIL("call should throw");
    } catch (const ControlError& e) {
        CHECK(std::string(e.what()).find(path) != std::string::npos);
    }
}
