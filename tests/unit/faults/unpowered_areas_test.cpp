// Gear behind a contactor that is off has no mains: the cabinet room reports
// those areas (MeterStatus::unpowered_areas) and their silent gear is not
// judged, while silent gear elsewhere still becomes no_answer.
#include <catch2/catch.hpp>

#include "gateway/faults/faults_feature.hpp"
#include "tests/unit/support/feature_rig.hpp"

using namespace lykta;
using namespace lykta::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> raised_targets(const test::RecordingUplink& uplink) {
    std::vector<std::string> out;
    for (const auto& e : uplink.events)
        if (e["type"] == "fault.raised") out.push_back(e["fault"]["target"]);
    return out;
}

}  // namespace

TEST_CASE("silent gear behind an open contactor raises no no_answer; elsewhere it does") {
    // L-1 in torget (behind the contactor), P-1 in the park (not).
    FeatureRig<faults::FaultsFeature> rig;
    rig.config.luminaires[1] = {"P-1", "bus1", 1, "park", 40, {}};
    rig.config.areas.push_back({"park", "Park", "centrum", "", {}, {}, {}});
    rig.restart();
    auto& feature = *rig.feature;
    auto& clock = rig.clock;
    auto& uplink = rig.uplink;
    auto sweep = [&] { rig.sweep({silent(0, "no answer"), silent(1, "no answer")}); };

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
