#pragma once
// What the in-process lighting tests share: virtual-time instants of one
// winter day, the config every test site starts with, and a site of gear in
// the in-process DALI simulator behind the real Foxtron transport on loopback
// TCP with a scratch directory for the store file.
#include <date/date.h>
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>

#include "gateway/config/loader.hpp"
#include "lykta-sim/dali/foxtron_server.hpp"

namespace lykta::test {

// 2025-01-15, a Wednesday in winter: 21:00 in Stockholm is 20:00 UTC.
inline SystemTime utc(int hour, int minute = 0, int day = 15) {
    return date::sys_days{date::year{2025} / 1 / day} + std::chrono::hours(hour) +
           std::chrono::minutes(minute);
}

// The gateway in Stockholm, an MQTT broker it never reaches, the store at
// `store` and bus1 on the simulator at `port`, followed by `rest` (luminaires,
// areas, profiles...). Any diagnostic fails the test.
inline config::Config site_config(int port, const std::string& store, const std::string& rest) {
    auto result = config::load_string(R"(version: 1
gateway: { id: gw, name: "Test" }
site: { latitude: 56.43, longitude: 12.85, timezone: Europe/Stockholm }
mqtt: { uri: tcp://127.0.0.1:1 }
store: { path: )" + store + R"( }
dali:
  buses:
    - { id: bus1, interface: "foxtron://127.0.0.1:)" +
                                      std::to_string(port) + R"(", sweep_s: 0.05 }
)" + rest);
    for (const auto& d : result.diagnostics) FAIL(d.to_string());
    REQUIRE(result.ok());
    return *result.config;
}

// `gear` simulated gear at addresses 0.., served on a free loopback port, and
// a fresh directory (removed at the end) named after `prefix`.
struct SimSite {
    SimSite(int gear, const std::string& prefix) : server(io, sim, {}) {
        sim.add_gear(gear, true);
        port = server.listen_tcp("127.0.0.1", 0);
        dir = std::filesystem::temp_directory_path() /
              (prefix + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
        std::filesystem::create_directories(dir);
    }
    ~SimSite() { std::filesystem::remove_all(dir); }
    std::string store_path() const { return (dir / "lykta.db").string(); }
    asio::io_context io;
    dali::SimBus sim;
    dali::FoxtronServer server;
    int port = 0;
    std::filesystem::path dir;
};

}  // namespace lykta::test
