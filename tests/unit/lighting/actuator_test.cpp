// The actuator against the in-process DALI simulator behind the real Foxtron
// transport on loopback TCP: only what changed goes out, a bus known down is
// left alone unless forced, and a gear that did not hear its level gets it again.
#include <optional>

#include "drivers/dali/level_curve.hpp"
#include "gateway/core/asio_timers.hpp"
#include "gateway/lighting/actuator.hpp"
#include "gateway/luminaires/luminaires_feature.hpp"
#include "tests/unit/lighting/rig.hpp"
#include "tests/unit/support/recording_uplink.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta;
using lykta::test::run_until;

namespace {

struct Site : test::SimSite {
    Site() : SimSite(3, "lykta-actuator-") {
        config = test::site_config(port, store_path(), R"(luminaires:
  - { id: "L-{n}", bus: bus1, addresses: 0..2, first: 0, area: torget }
areas:
  - { id: torget, profile: p }
profiles:
  p: [{ at: "18:00", level: 80 }, { at: "06:00", level: 0 }]
)");
    }
    config::Config config;
};

struct Rig {
    explicit Rig(Site& s)
        : site(s),
          sweep_timers(s.io),
          luminaires(s.io, sweep_timers, s.config, uplink, clock),
          actuator(s.config, luminaires) {
        luminaires.add_status_observer(
            [this](const luminaires::Sweep& sweep) { answered += sweep.reachable; });
        luminaires.start();
        // The first answering sweep: before it the interface is not open and nothing is heard.
        REQUIRE(run_until(site.io, [&] { return answered > 0; }));
    }
    ~Rig() {
        actuator.stop();
        luminaires.stop();
    }
    // Sends, waits for the read-back; none when `done` was not called.
    std::optional<lighting::Actuator::Levels> send_changed(const std::vector<double>& levels,
                                                           std::set<std::string> force = {}) {
        std::optional<lighting::Actuator::Levels> out;
        actuator.send_changed(decisions(levels), force,
                              [&](lighting::Actuator::Levels l) { out = std::move(l); });
        run_until(site.io, [&] { return out.has_value(); });
        return out;
    }
    std::vector<policy::Decision> decisions(const std::vector<double>& levels) const {
        std::vector<policy::Decision> out;
        for (std::size_t i = 0; i < levels.size(); ++i) {
            policy::Decision d;
            d.luminaire = site.config.luminaires[i].id;
            d.area = "torget";
            d.level = levels[i];
            out.push_back(d);
        }
        return out;
    }
    std::uint8_t level_at(int address) { return site.sim.gear_at(address)->actual_level(site.sim.now()); }

    Site& site;
    int answered = 0;  // sweeps in which some gear answered
    ManualClock clock;
    test::RecordingUplink uplink;
    AsioTimers sweep_timers;  // the bus sweeps on real time: these tests drive the actuator
    luminaires::LuminairesFeature luminaires;
    lighting::Actuator actuator;
};

}  // namespace

TEST_CASE("actuator: only levels that differ from what the bus was told go out", "[lighting][actuator]") {
    Site site;
    Rig rig(site);
    auto first = rig.send_changed({80, 80, 40});
    REQUIRE(first);
    CHECK(first->size() == 3);
    CHECK(first->at("L-2").value() == Approx(40).margin(1));
    CHECK(rig.level_at(2) == dali::level_from_percent(40));
    CHECK(rig.actuator.sent("L-0") == 80);

    auto again = rig.send_changed({80, 80, 40});  // nothing changed: nothing sent, answered at once
    REQUIRE(again);
    CHECK(again->empty());

    auto one = rig.send_changed({80, 30, 40.01});  // within the same arc level: not a change
    REQUIRE(one);
    CHECK(one->size() == 1);
    CHECK(one->count("L-1") == 1);
    CHECK(rig.level_at(1) == dali::level_from_percent(30));

    auto forced = rig.send_changed({80, 30, 40}, {"L-0"});  // named by a command: sent unchanged
    REQUIRE(forced);
    CHECK(forced->size() == 1);
    CHECK(forced->count("L-0") == 1);

    std::optional<lighting::Actuator::Levels> some;
    rig.actuator.send(rig.decisions({80, 30, 40}), {2, 7}, [&](auto l) { some = std::move(l); });
    REQUIRE(run_until(site.io, [&] { return some.has_value(); }));
    CHECK(some->size() == 1);  // index 7 is no luminaire
    CHECK(some->count("L-2") == 1);
}

TEST_CASE("actuator: a bus known down is not sent to, unless forced; a deaf gear is told again",
          "[lighting][actuator]") {
    Site site;
    Rig rig(site);
    REQUIRE(rig.send_changed({80, 80, 80}));
    CHECK_FALSE(rig.actuator.bus_down("bus1"));  // no sweep said otherwise

    rig.actuator.set_reachable("bus1", false);
    CHECK(rig.actuator.bus_down("bus1"));
    auto skipped = rig.send_changed({50, 80, 80});
    REQUIRE(skipped);
    CHECK(skipped->empty());
    CHECK(rig.level_at(0) == dali::level_from_percent(80));
    auto forced = rig.send_changed({50, 80, 80}, {"L-0"});
    REQUIRE(forced);
    CHECK(forced->count("L-0") == 1);
    CHECK(rig.level_at(0) == dali::level_from_percent(50));

    rig.actuator.set_reachable("bus1", true);
    site.sim.gear_at(1)->faults.missing = true;  // mains off: hears nothing
    auto deaf = rig.send_changed({50, 20, 80});
    REQUIRE(deaf);
    REQUIRE(deaf->count("L-1") == 1);
    CHECK_FALSE(deaf->at("L-1").has_value());  // no read-back
    CHECK_FALSE(rig.actuator.sent("L-1"));     // unknown whether it took the level
    site.sim.gear_at(1)->faults.missing = false;
    auto retold = rig.send_changed({50, 20, 80});  // unchanged target, but sent again
    REQUIRE(retold);
    CHECK(retold->count("L-1") == 1);
    CHECK(rig.level_at(1) == dali::level_from_percent(20));
    CHECK(rig.actuator.sent("L-1") == 20);
}
