#pragma once
// A feature of the faults or statistics room (or both, tests/unit/app) on a
// temp-file store with a manual clock and a recording uplink: one small site,
// its sweeps and the commands' answers, for the in-process tests.
#include <catch2/catch.hpp>

#include <filesystem>
#include <optional>
#include <random>

#include "gateway/config/model.hpp"
#include "gateway/core/manual_timers.hpp"
#include "gateway/luminaires/sweep.hpp"
#include "gateway/store/database.hpp"
#include "tests/unit/support/recording_uplink.hpp"

namespace lykta::test {

using namespace std::chrono_literals;

struct TempDb {
    std::filesystem::path path;
    TempDb() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("lykta-feature-" + std::to_string(rd()) + ".db");
    }
    ~TempDb() {
        for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    }
};

// Two luminaires on bus1 (torget), one meter measuring torget; debounce 2/2 for
// the kinds these tests raise, so each step is one or two sweeps.
inline config::Config site() {
    config::Config c;
    c.gateway.id = "gw1";
    c.site.timezone = "Europe/Stockholm";
    c.dali.buses.push_back({"bus1", {}, 60, 900});
    c.luminaires.push_back({"L-1", "bus1", 0, "torget", 40, {}});
    c.luminaires.push_back({"L-2", "bus1", 1, "torget", 60, {}});
    c.areas.push_back({"torget", "Torget", "centrum", "", {}, {}, {}});
    c.faults.fade_grace_s = 120;
    return c;
}

inline SystemTime t0() {
    // 2026-11-18 12:06 in Stockholm, just after the lighting day began
    return SystemTime{} + std::chrono::seconds(1'795'000'000);
}

inline dali::GearStatus gear(int address, double percent, bool lamp_failure = false) {
    dali::GearStatus s;
    s.address = address;
    s.available = true;
    s.percent = percent;
    s.lamp_failure = lamp_failure;
    return s;
}

inline dali::GearStatus silent(int address, const std::string& problem) {
    dali::GearStatus s;
    s.address = address;
    s.problem = problem;
    return s;
}

inline nlohmann::json call(test::RecordingUplink& uplink, const std::string& path,
                           const nlohmann::json& args) {
    REQUIRE(uplink.commands.count(path) == 1);
    std::optional<nlohmann::json> answer;
    uplink.commands[path](args, api::Responder([&](nlohmann::json body) { answer = std::move(body); }));
    REQUIRE(answer);
    return *answer;
}

inline std::vector<nlohmann::json> events_of(const test::RecordingUplink& uplink, const std::string& type) {
    std::vector<nlohmann::json> out;
    for (const auto& e : uplink.events)
        if (e["type"] == type) out.push_back(e);
    return out;
}

// `Feature` is built as App builds it: (timers, config, uplink, db, clock).
template <class Feature>
struct FeatureRig {
    TempDb db_file;
    config::Config config = site();
    ManualClock clock{t0()};
    ManualTimers timers{clock};  // the features' jobs run as the clock advances
    test::RecordingUplink uplink;
    std::unique_ptr<store::Database> db = std::make_unique<store::Database>(db_file.path.string());
    std::unique_ptr<Feature> feature;

    FeatureRig() { open(); }
    void open() {
        feature = std::make_unique<Feature>(timers, config, uplink, *db, clock);
        feature->start();
    }
    void restart() {
        feature->stop();
        feature.reset();
        db = std::make_unique<store::Database>(db_file.path.string());
        uplink = test::RecordingUplink{};
        open();
    }
    void sweep(std::vector<dali::GearStatus> statuses, bool reachable = true) {
        clock.advance(60s);
        feature->on_sweep(
            luminaires::make_sweep(config, config.dali.buses[0], std::move(statuses), reachable));
    }
};

}  // namespace lykta::test
