// Benchmarks of the uplink against a real mosquitto on loopback. Hidden from
// the normal run; `build/bin/unit_mqtt "[.bench]"` prints the numbers. They are
// printed, never asserted (machines are noisy).
#include <algorithm>
#include <catch2/catch.hpp>
#include <iostream>

#include "gateway/core/asio_timers.hpp"
#include "gateway/mqtt/link.hpp"
#include "gateway/mqtt/request_limits.hpp"
#include "tests/unit/mqtt/broker_fixture.hpp"

using namespace lykta;
using namespace lykta::test;
using Steady = std::chrono::steady_clock;

namespace {

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
    auto loop = std::make_unique<LoopThread>();
    AsioTimers timers(loop->io());  // a benchmark: real time
    lykta::api::CommandRouter router(lykta::mqtt::request_limits(config.mqtt),
                                     [&] { asio::post(loop->io(), [&] { router.drain(); }); });
    auto link = lykta::mqtt::Link::create(loop->io(), timers, config, db, clock, router);
    link->add_command("bench/echo", [](const nlohmann::json&, lykta::api::Responder r) { r.ok(); });

    // 1. outbox: 10,000 events while the broker is down, then drain.
    constexpr int events = 10000;
    long rss_before = rss_kb();
    auto t0 = Steady::now();
    loop->run([&] {
        link->start();
        for (int i = 0; i < events; ++i) link->publish_event({{"type", "bench.tick"}, {"n", i}});
    });
    auto appended = Steady::now() - t0;
    long rss_queued = rss_kb();
    std::optional<Broker> broker(std::in_place, dir, port,
                                 std::getenv("BENCH_BROKER_EXTRA") ? std::getenv("BENCH_BROKER_EXTRA") : "");
    Watcher watcher(port, "lykta/bench/#");
    watcher.wait([&] { return watcher.count("lykta/bench/event") >= events; }, std::chrono::seconds(120));
    auto drained = watcher.on("lykta/bench/event");
    double drain_s = std::chrono::duration<double>(drained.back().at - drained.front().at).count();
    std::cout << "outbox: appended " << events << " events in " << ms(appended) << " ms ("
              << events / std::chrono::duration<double>(appended).count() << "/s, each committed)\n"
              << "outbox: drained " << drained.size() << " in " << drain_s * 1000 << " ms ("
              << drained.size() / std::max(drain_s, 1e-9) << " msgs/s)\n"
              << "rss: " << rss_before << " kB before queueing, " << rss_queued << " kB with " << events
              << " queued on disk\n";

    // 2. request -> response round trip.
    std::vector<double> rtt;
    for (int i = 0; i < 1000; ++i) {
        auto before = watcher.count("lykta/bench/response/bench/echo");
        auto start = Steady::now();
        watcher.publish("lykta/bench/request/bench/echo", "{\"id\":1}");
        watcher.wait([&] { return watcher.count("lykta/bench/response/bench/echo") > before; });
        rtt.push_back(ms(Steady::now() - start));
    }
    std::sort(rtt.begin(), rtt.end());
    std::cout << "request->response over loopback (1000 sequential): p50 " << rtt[rtt.size() / 2]
              << " ms, p99 " << rtt[rtt.size() * 99 / 100] << " ms, max " << rtt.back() << " ms\n";

    // 3. republish of 1,024 luminaire states.
    loop->run([&] {
        for (int i = 0; i < 1024; ++i)
            link->publish_state("luminaire/L-" + std::to_string(i) + "/state",
                                {{"level", 50.0}, {"target", 50.0}, {"available", true}, {"area", "torget"}});
    });
    watcher.wait([&] { return watcher.count_containing("/state") >= 1024; });
    auto before = watcher.count_containing("/state");
    auto start = Steady::now();
    watcher.publish("lykta/bench/request/republish", "{}");
    watcher.wait([&] { return watcher.count_containing("/state") >= before + 1024; });
    auto took = Steady::now() - start;
    std::cout << "republish of 1024 luminaire states: " << ms(took) << " ms ("
              << 1024 / std::chrono::duration<double>(took).count() << " msgs/s)\n";

    loop->shut_down(link);
    loop.reset();
    broker.reset();
    std::filesystem::remove_all(dir);
    SUCCEED();
}
