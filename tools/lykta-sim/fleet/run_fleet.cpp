// `lykta-sim fleet`: N gateways in one process for load tests of a broker or a
// platform (docs/scaling.md, "The fleet simulator"). Prints "connected N/M"
// once a second while not all are connected, then a summary line every 10 s;
// stops on SIGINT/SIGTERM (each gateway says offline "shutdown") or after --seconds.
#include "lykta-sim/fleet/run_fleet.hpp"

#include <CLI/CLI.hpp>
#include <MQTTAsync.h>

#include <csignal>
#include <iostream>

#include "lykta-sim/fleet/sim_gateway.hpp"

namespace lykta::sim {
namespace {

void report(const std::vector<std::unique_ptr<SimGateway>>& gateways, const FleetCounters& c, bool summary) {
    std::size_t up = 0;
    for (const auto& g : gateways) up += g->connected() ? 1 : 0;
    std::cout << "connected " << up << "/" << gateways.size();
    if (summary)
        std::cout << " connects " << c.connects << " failures " << c.connect_failures << " requests "
                  << c.requests << " late_wills " << c.late_wills;
    std::cout << std::endl;
}

}  // namespace

int run_fleet(int argc, char** argv) {
    CLI::App cli{"lykta-sim fleet: N simulated Lykta gateways in one process (MQTT load for brokers and platforms)",
                 "lykta-sim fleet"};
    FleetOptions options;
    std::string version = "auto";
    double seconds = 0;
    double connect_rate = 200;
    cli.add_option("--broker", options.brokers, "Broker URI; repeat for every node of a cluster (tried in order)")
        ->capture_default_str();
    cli.add_option("--gateways", options.gateways, "Number of gateways")->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cli.add_option("--id-prefix", options.id_prefix, "Gateway ids are PREFIX + 4 digits")->capture_default_str();
    cli.add_option("--first", options.first, "Number of the first gateway id")->capture_default_str();
    cli.add_option("--prefix", options.prefix, "Topic prefix (mqtt.prefix)")->capture_default_str();
    cli.add_option("--luminaires", options.luminaires, "Luminaires per gateway (one area)")
        ->check(CLI::Range(1, 64))->capture_default_str();
    cli.add_option("--heartbeat-s", options.heartbeat_s, "Heartbeat period")->check(CLI::PositiveNumber)
        ->capture_default_str();
    cli.add_option("--keepalive-s", options.keepalive_s, "MQTT keepalive")->check(CLI::PositiveNumber)
        ->capture_default_str();
    cli.add_option("--subscribe-qos", options.subscribe_qos,
                   "QoS of each gateway's subscriptions (mqtt.subscribe_qos; 0 on RabbitMQ 3.10 clusters)")
        ->check(CLI::Range(0, 2))
        ->capture_default_str();
    cli.add_option("--version", version, "MQTT version: auto, 3 (3.1.1) or 5")
        ->check(CLI::IsMember({"auto", "3", "5"}))->capture_default_str();
    cli.add_option("--connect-rate", connect_rate, "New connections per second at start")
        ->check(CLI::PositiveNumber)->capture_default_str();
    cli.add_option("--seconds", seconds, "Stop after this long (0: until SIGINT/SIGTERM)")->capture_default_str();
    CLI11_PARSE(cli, argc, argv);
    options.version = version == "auto" ? 0 : std::stoi(version);

    // Paho's OpenSSL set-up is not needed on loopback; as in lyktad (gateway/mqtt/link.cpp).
    MQTTAsync_init_options init = MQTTAsync_init_options_initializer;
    init.do_openssl_init = 0;
    MQTTAsync_global_init(&init);

    asio::io_context io;
    FleetCounters counters;
    std::vector<std::unique_ptr<SimGateway>> gateways;
    gateways.reserve(static_cast<std::size_t>(options.gateways));
    for (int i = 0; i < options.gateways; ++i)
        gateways.push_back(std::make_unique<SimGateway>(io, options, i, counters));

    // Staggered start: a burst of N CONNECTs is a broker benchmark of its own.
    asio::steady_timer starter(io);
    std::size_t next = 0;
    auto interval = std::chrono::microseconds(static_cast<long>(1e6 / connect_rate));
    std::function<void()> start_next = [&] {
        if (next >= gateways.size()) return;
        gateways[next++]->start();
        starter.expires_after(interval);
        starter.async_wait([&](const asio::error_code& ec) {
            if (!ec) start_next();
        });
    };
    start_next();

    asio::steady_timer ticker(io);
    int ticks = 0;
    std::function<void()> tick = [&] {
        ticker.expires_after(std::chrono::seconds(1));
        ticker.async_wait([&](const asio::error_code& ec) {
            if (ec) return;
            ++ticks;
            std::size_t up = 0;
            for (const auto& g : gateways) up += g->connected() ? 1 : 0;
            if (up < gateways.size() || ticks % 10 == 0) report(gateways, counters, ticks % 10 == 0);
            tick();
        });
    };
    tick();

    auto stop = [&] {
        starter.cancel();
        ticker.cancel();
        for (auto& g : gateways) g->stop();
        report(gateways, counters, true);
        io.stop();
    };
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const asio::error_code& ec, int) {
        if (!ec) stop();
    });
    asio::steady_timer deadline(io);
    if (seconds > 0) {
        deadline.expires_after(std::chrono::milliseconds(static_cast<long>(seconds * 1000)));
        deadline.async_wait([&](const asio::error_code& ec) {
            if (!ec) stop();
        });
    }
    std::cout << "fleet " << options.gateways << " gateways " << options.id_prefix << "…" << std::endl;
    io.run();
    return 0;
}

}  // namespace lykta::sim
