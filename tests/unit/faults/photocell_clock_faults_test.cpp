// The photocell and clock facts the lighting room and the clock watch report
// become faults: photocell_disagreement on the photocell (escalated in a
// flagged area), clock_unsynchronised after ten unsynchronised checks, and
// clock_jump raised at a jump and cleared by the next steady check.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "gateway/core/manual_timers.hpp"
#include "gateway/faults/faults_feature.hpp"
#include "tests/unit/support/recording_uplink.hpp"

using namespace lykta;
using namespace std::chrono_literals;

namespace {

struct Rig {
    std::filesystem::path path;
    ManualClock clock{SystemTime{} + std::chrono::hours(24 * 20000)};
    ManualTimers timers{clock};
    config::Config config;
    test::RecordingUplink uplink;
    std::unique_ptr<store::Database> db;
    std::unique_ptr<faults::FaultsFeature> feature;
    Rig() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("lykta-pcfaults-" + std::to_string(rd()) + ".db");
        config.gateway.id = "gw1";
        config.site.timezone = "Europe/Stockholm";
        config.areas.push_back({"torget", "Torget", "centrum", "", {}, {}, {}});
        db = std::make_unique<store::Database>(path.string());
        feature = std::make_unique<faults::FaultsFeature>(timers, config, uplink, *db, clock);
        feature->start();
    }
    ~Rig() {
        feature->stop();
        feature.reset();
        db.reset();
        for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    }
    std::vector<nlohmann::json> active(const std::string& kind) {
        std::vector<nlohmann::json> out;
        for (const auto& f : uplink.states.at("alarms")["active"])
            if (f["kind"] == kind) out.push_back(f);
        return out;
    }
};

}  // namespace

TEST_CASE("a photocell disagreement is a fault on the photocell, escalated under a safety flag",
          "[faults][photocell]") {
    Rig rig;
    rig.feature->on_photocell(rig.clock.now(), "pc1", {"torget"}, false, "");
    CHECK(rig.active("photocell_disagreement").empty());
    rig.clock.advance(60s);
    rig.feature->on_photocell(rig.clock.now(), "pc1", {"torget"}, true, "photocell 'pc1' (io1.lux): 5000 lx");
    auto faults = rig.active("photocell_disagreement");
    REQUIRE(faults.size() == 1);
    CHECK(faults[0]["target"] == "photocell/pc1");
    CHECK(faults[0]["area"] == "torget");
    CHECK(faults[0]["severity"] == "minor");
    CHECK(faults[0]["detail"] == "photocell 'pc1' (io1.lux): 5000 lx");
    rig.feature->on_safety(rig.clock.now(), "torget", true);
    CHECK(rig.active("photocell_disagreement")[0]["severity"] == "major");
    rig.clock.advance(60s);
    rig.feature->on_photocell(rig.clock.now(), "pc1", {"torget"}, false, "");
    CHECK(rig.active("photocell_disagreement").empty());
}

TEST_CASE("clock faults: unsynchronised for ten checks, a jump until the next check", "[faults][clock]") {
    Rig rig;
    for (int check = 1; check <= 10; ++check) {
        CHECK(rig.active("clock_unsynchronised").empty());
        rig.feature->on_clock(rig.clock.now(), true, false, "system time not synchronised");
        rig.clock.advance(60s);
    }
    auto unsynced = rig.active("clock_unsynchronised");
    REQUIRE(unsynced.size() == 1);
    CHECK(unsynced[0]["target"] == "gateway/clock");
    CHECK(unsynced[0]["severity"] == "major");

    rig.feature->on_clock(rig.clock.now(), true, true, "clock jumped forward by 3600000 ms");
    auto jumps = rig.active("clock_jump");
    REQUIRE(jumps.size() == 1);
    CHECK(jumps[0]["severity"] == "minor");
    CHECK(jumps[0]["detail"] == "clock jumped forward by 3600000 ms");
    rig.clock.advance(60s);
    rig.feature->on_clock(rig.clock.now(), false, false, "clock ok");
    CHECK(rig.active("clock_jump").empty());
    CHECK(rig.active("clock_unsynchronised").size() == 1);  // clears after two synchronised checks
    rig.clock.advance(60s);
    rig.feature->on_clock(rig.clock.now(), false, false, "clock ok");
    CHECK(rig.active("clock_unsynchronised").empty());
}
