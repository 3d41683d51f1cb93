// Benchmarks of the uplink against a real mosquitto on loopback. Hidden from
// the normal run; `build/bin/unit_mqtt "[.bench]"` prints the numbers. They are
// printed, never asserted (machines are noisy).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mqtt/async_client.h>
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <thread>

#include "gateway/mqtt/link.hpp"

using namespace lykta;
using Steady = std::chrono::steady_clock;

extern char** environ;

namespace {

int free_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(s);
    return ntohs(addr.sin_port);
}

bool port_open(int port) {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(s);
    return ok;
}

class Broker {
public:
    Broker(const std::filesystem::path& dir, int port) {
        auto conf = dir / "mosquitto.conf";
        std::ofstream(conf) << "listener " << port << " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                            << "max_queued_messages 100000\nset_tcp_nodelay true\n" << (std::getenv("BENCH_BROKER_EXTRA") ? std::getenv("BENCH_BROKER_EXTRA") : "");
        std::string bin = "/usr/sbin/mosquitto", c = "-c", path = conf.string();
        char* argv[] = {bin.data(), c.data(), path.data(), nullptr};
        posix_spawn(&pid_, bin.c_str(), nullptr, nullptr, argv, environ);
        for (int i = 0; i < 500 && !port_open(port); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ~Broker() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }

private:
    pid_t pid_ = 0;
};

// A platform-side client that counts what arrives and wakes waiters.
class Watcher : public ::mqtt::callback {
public:
    explicit Watcher(int port) : client_("tcp://127.0.0.1:" + std::to_string(port), "bench-watcher") {
        client_.set_callback(*this);
        client_.connect(::mqtt::connect_options_builder().clean_session(true).finalize())->wait();
        // QoS 0: no PUBACKs from this side, so the numbers are the daemon's, not the watcher's
        client_.subscribe("lykta/bench/#", 0)->wait();
    }
    void message_arrived(::mqtt::const_message_ptr msg) override {
        std::lock_guard lock(m_);
        const auto& t = msg->get_topic();
        if (t.find("/state") != std::string::npos)
            ++states_;
        else if (t.find("/event") != std::string::npos) {
            if (events_ == 0) first_event_ = Steady::now();
            ++events_;
            last_event_ = Steady::now();
        } else if (t.find("/response/") != std::string::npos)
            ++responses_;
        else if (t.find("/status") != std::string::npos &&
                 msg->get_payload_str().find("online") != std::string::npos)
            online_ = true;
        cv_.notify_all();
    }
    template <class Pred>
    bool wait(Pred pred, std::chrono::seconds limit = std::chrono::seconds(60)) {
        std::unique_lock lock(m_);
        return cv_.wait_for(lock, limit, [&] { return pred(*this); });
    }
    void request(const std::string& command) {
        client_.publish("lykta/bench/request/" + command, std::string("{\"id\":1}"), 1, false);
    }

    std::mutex m_;
    std::condition_variable cv_;
    long states_ = 0, events_ = 0, responses_ = 0;
    bool online_ = false;
    Steady::time_point first_event_, last_event_;
    ::mqtt::async_client client_;
};

long rss_kb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

double ms(Steady::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

TEST_CASE("mqtt bench: outbox drain, request round trip, republish of 1024 states", "[.bench]") {
    auto dir = std::filesystem::temp_directory_path() / ("lykta-mqtt-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    int port = free_port();
    config::Config config;
    config.gateway.id = "bench";
    config.mqtt.uri = "tcp://127.0.0.1:" + std::to_string(port);
    config.mqtt.client_id = "bench";
    config.mqtt.rate_limit_per_s = 100000;
    config.mqtt.heartbeat_s = 3600;
    if (const char* q = std::getenv("BENCH_QOS")) config.mqtt.qos = std::atoi(q);
    if (const char* v = std::getenv("BENCH_MQTT_VERSION")) config.mqtt.version = std::atoi(v);
    store::Database db((dir / "bench.db").string());
    SystemClock clock;
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    auto link = lykta::mqtt::Link::create(io, config, db, clock);
    link->add_command("bench/echo", [](const nlohmann::json&, lykta::mqtt::Responder r) { r.ok(); });
    std::thread loop([&] { io.run(); });
    auto on_loop = [&](auto fn) {
        std::promise<void> done;
        asio::post(io, [&] {
            fn();
            done.set_value();
        });
        done.get_future().wait();
    };

    // 1. outbox: 10,000 events while the broker is down, then drain.
    constexpr int events = 10000;
    long rss_before = rss_kb();
    auto t0 = Steady::now();
    on_loop([&] {
        link->start();
        for (int i = 0; i < events; ++i) link->publish_event({{"type", "bench.tick"}, {"n", i}});
    });
    auto appended = Steady::now() - t0;
    long rss_queued = rss_kb();
    std::optional<Broker> broker(std::in_place, dir, port);
    Watcher watcher(port);
    watcher.wait([](Watcher& w) { return w.events_ >= events; }, std::chrono::seconds(120));
    double drain_s = std::chrono::duration<double>(watcher.last_event_ - watcher.first_event_).count();
    std::cout << "outbox: appended " << events << " events in " << ms(appended) << " ms ("
              << events / std::chrono::duration<double>(appended).count() << "/s, each committed)\n"
              << "outbox: drained " << watcher.events_ << " in " << drain_s * 1000 << " ms ("
              << watcher.events_ / std::max(drain_s, 1e-9) << " msgs/s)\n"
              << "rss: " << rss_before << " kB before queueing, " << rss_queued << " kB with " << events
              << " queued on disk\n";

    // 2. request -> response round trip.
    watcher.wait([](Watcher& w) { return w.online_; });
    std::vector<double> rtt;
    for (int i = 0; i < 1000; ++i) {
        long before = watcher.responses_;
        auto start = Steady::now();
        watcher.request("bench/echo");
        watcher.wait([before](Watcher& w) { return w.responses_ > before; });
        rtt.push_back(ms(Steady::now() - start));
    }
    std::sort(rtt.begin(), rtt.end());
    std::cout << "request->response over loopback (1000 sequential): p50 " << rtt[rtt.size() / 2]
              << " ms, p99 " << rtt[rtt.size() * 99 / 100] << " ms, max " << rtt.back() << " ms\n";

    // 3. republish of 1,024 luminaire states.
    on_loop([&] {
        for (int i = 0; i < 1024; ++i)
            link->publish_state("luminaire/L-" + std::to_string(i) + "/state",
                                {{"level", 50.0}, {"target", 50.0}, {"available", true}, {"area", "torget"}});
    });
    watcher.wait([](Watcher& w) { return w.states_ >= 1024; });
    long before = watcher.states_;
    auto start = Steady::now();
    watcher.request("republish");
    watcher.wait([before](Watcher& w) { return w.states_ >= before + 1024; });
    auto took = Steady::now() - start;
    std::cout << "republish of 1024 luminaire states: " << ms(took) << " ms ("
              << 1024 / std::chrono::duration<double>(took).count() << " msgs/s)\n";

    on_loop([&] { link->shutdown([] {}); });
    work.reset();
    io.stop();
    loop.join();
    link.reset();
    broker.reset();
    std::filesystem::remove_all(dir);
    SUCCEED();
}
