// Gear behind a contactor that is off has no mains: the cabinet room reports
// those areas (MeterStatus::unpowered_areas) and their silent gear is not
// judged, while silent gear elsewhere still becomes no_answer.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "gateway/core/manual_timers.hpp"
#include "gateway/faults/faults_feature.hpp"
#include "gateway/faults/time_text.hpp"
#include "tests/unit/support/recording_uplink.hpp"

using namespace lykta;
using namespace std::chrono_literals;

namespace {

struct Db {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("lykta-unpowered-" + std::to_string(std::random_device{}()) + ".db");
    ~Db() {
        for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    }
};

// L-1 in torget (behind the contactor), P-1 in the park (not).
config::Config site() {
    config::Config c;
    c.gateway.id = "gw1";
    c.site.timezone = "Europe/Stockholm";
    c.dali.buses.push_back({"bus1", {}, 60, 900});
    c.luminaires.push_back({"L-1", "bus1", 0, "torget", 40, {}});
    c.luminaires.push_back({"P-1", "bus1", 1, "park", 40, {}});
    c.areas.push_back({"torget", "Torget", "centrum", "", {}, {}, {}});
    c.areas.push_back({"park", "Park", "centrum", "", {}, {}, {}});
    return c;
}

dali::GearStatus silent(int address) {
    dali::GearStatus s;
    s.address = address;
    s.problem = "no answer";
    return s;
}

std::vector<std::string> raised_targets(const test::RecordingUplink& uplink) {
    std::vector<std::string> out;
    for (const auto& e : uplink.events)
        if (e["type"] == "fault.raised") out.push_back(e["fault"]["target"]);
    return out;
}

}  // namespace

TEST_CASE("silent gear behind an open contactor raises no no_answer; elsewhere it does") {
    Db db_file;
    config::Config config = site();
    ManualClock clock{faults::from_unix_seconds(1'795'000'000)};
    ManualTimers timers{clock};
    test::RecordingUplink uplink;
    store::Database db(db_file.path.string());
    faults::FaultsFeature feature(timers, config, uplink, db, clock);
    feature.start();
    auto sweep = [&] {
        clock.advance(60s);
        feature.on_sweep(luminaires::make_sweep(config, config.dali.buses[0], {silent(0), silent(1)}, true));
    };

    cabinet::MeterStatus io1{"io1", {}, true, {}, false, {}, {}, {}, {}, clock.now()};
    io1.unpowered_areas = {"torget"};
    feature.on_status(io1);
    for (int i = 0; i < 5; ++i) sweep();
    CHECK(raised_targets(uplink) == std::vector<std::string>{"luminaire/P-1"});

    // Mains back (the contactor is on) and L-1 still silent: now it is a fault.
    io1.unpowered_areas.clear();
    io1.contactor_commanded = true;
    feature.on_status(io1);
    for (int i = 0; i < 5; ++i) sweep();
    CHECK(raised_targets(uplink) == std::vector<std::string>{"luminaire/P-1", "luminaire/L-1"});
    feature.stop();
}
