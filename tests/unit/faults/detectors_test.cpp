#include <catch2/catch.hpp>

#include "gateway/faults/debounce.hpp"
#include "gateway/faults/detectors.hpp"

using namespace lykta;
using namespace lykta::faults;
using namespace std::chrono_literals;

namespace {

const Observation* find(const std::vector<Observation>& obs, FaultKind kind) {
    for (const auto& o : obs)
        if (o.kind == kind) return &o;
    return nullptr;
}

SystemTime t0() {
    return SystemTime{} + 1'000'000s;
}

}  // namespace

TEST_CASE("gear status bits become lamp and gear failure observations", "[faults][detectors]") {
    GearStatus gear{"L-12", "torget", true, true, false, 0.0};
    auto obs = observe_gear(t0(), gear, {0, t0() - 1h}, {});
    REQUIRE(find(obs, FaultKind::lamp_failure));
    CHECK(find(obs, FaultKind::lamp_failure)->active);
    CHECK(find(obs, FaultKind::lamp_failure)->target == "luminaire/L-12");
    CHECK(find(obs, FaultKind::lamp_failure)->area == "torget");
    CHECK_FALSE(find(obs, FaultKind::gear_failure)->active);
    CHECK_FALSE(find(obs, FaultKind::no_answer)->active);
}

TEST_CASE("an unanswered gear yields only no_answer", "[faults][detectors]") {
    GearStatus gear{"L-1", "a", false, false, false, std::nullopt};
    auto obs = observe_gear(t0(), gear, {50, t0() - 1h}, {});
    REQUIRE(obs.size() == 1);
    CHECK(obs[0].kind == FaultKind::no_answer);
    CHECK(obs[0].active);
    gear.bus_ok = false;  // the bus fault explains it
    CHECK(observe_gear(t0(), gear, {50, t0() - 1h}, {}).empty());
}

TEST_CASE("day burner waits for the fade grace", "[faults][detectors]") {
    DetectionSettings settings;
    settings.fade_grace_s = 120;
    GearStatus gear{"L-1", "a", true, false, false, 30.0};
    TargetState target{0, t0()};
    CHECK_FALSE(find(observe_gear(t0() + 60s, gear, target, settings), FaultKind::day_burner));
    auto late = observe_gear(t0() + 121s, gear, target, settings);
    REQUIRE(find(late, FaultKind::day_burner));
    CHECK(find(late, FaultKind::day_burner)->active);
    CHECK_FALSE(find(late, FaultKind::night_outage)->active);
    gear.level = 0.0;
    CHECK_FALSE(find(observe_gear(t0() + 200s, gear, target, settings), FaultKind::day_burner)->active);
}

TEST_CASE("night outage uses the configured ratio", "[faults][detectors]") {
    DetectionSettings settings;
    settings.night_outage_ratio = 0.5;
    TargetState target{80, t0() - 1h};
    GearStatus gear{"L-1", "a", true, false, false, 39.0};
    CHECK(find(observe_gear(t0(), gear, target, settings), FaultKind::night_outage)->active);
    gear.level = 41.0;
    CHECK_FALSE(find(observe_gear(t0(), gear, target, settings), FaultKind::night_outage)->active);
    settings.night_outage_ratio = 0.9;
    CHECK(find(observe_gear(t0(), gear, target, settings), FaultKind::night_outage)->active);
    gear.lamp_failure = true;  // the gear says why it is dark: that fault only
    CHECK_FALSE(find(observe_gear(t0(), gear, target, settings), FaultKind::night_outage)->active);
}

TEST_CASE("bus power is judged only while the interface answers", "[faults][detectors]") {
    auto down = observe_bus(t0(), {"bus1", false, false});
    REQUIRE(down.size() == 1);
    CHECK(down[0].kind == FaultKind::interface_down);
    CHECK(down[0].target == "bus/bus1");
    auto unpowered = observe_bus(t0(), {"bus1", true, false});
    CHECK(find(unpowered, FaultKind::bus_power)->active);
    CHECK_FALSE(find(unpowered, FaultKind::interface_down)->active);
}

TEST_CASE("meter, door and contactor observations", "[faults][detectors]") {
    MeterStatus meter{"meter1", "torget", true, true, true, false, std::nullopt};
    auto obs = observe_meter(t0(), meter);
    CHECK_FALSE(find(obs, FaultKind::meter_offline)->active);
    CHECK(find(obs, FaultKind::door_open)->active);
    CHECK(find(obs, FaultKind::door_open)->target == "cabinet/meter1");
    CHECK(find(obs, FaultKind::contactor_mismatch)->active);
    meter.available = false;
    auto offline = observe_meter(t0(), meter);
    REQUIRE(offline.size() == 1);
    CHECK(offline[0].active);
}

TEST_CASE("energy anomaly needs both the relative and the absolute tolerance", "[faults][detectors]") {
    DetectionSettings settings;  // 25 %, 50 W
    MeterStatus meter{"m", "a", true, std::nullopt, std::nullopt, std::nullopt, 0.0};
    std::vector<MeteredLoad> loads{{100, 100}, {100, 50}};  // 150 W expected
    meter.active_power_w = 160;
    CHECK_FALSE(find(observe_energy(t0(), meter, loads, settings), FaultKind::energy_anomaly)->active);
    meter.active_power_w = 260;  // +110 W, 73 %
    CHECK(find(observe_energy(t0(), meter, loads, settings), FaultKind::energy_anomaly)->active);
    meter.active_power_w = 40;  // -110 W
    CHECK(find(observe_energy(t0(), meter, loads, settings), FaultKind::energy_anomaly)->active);
    std::vector<MeteredLoad> off{{100, 0}};
    meter.active_power_w = 90;
    auto burning = observe_energy(t0(), meter, off, settings);
    CHECK(find(burning, FaultKind::day_burner)->active);
    CHECK_FALSE(find(burning, FaultKind::energy_anomaly)->active);
    meter.active_power_w.reset();
    CHECK(observe_energy(t0(), meter, loads, settings).empty());
}

TEST_CASE("debounce raises after N, clears after M, suppresses flapping", "[faults][debounce]") {
    DebounceRules rules;
    rules.set(FaultKind::lamp_failure, {3, 2});
    Debouncer debouncer(rules);
    Observation on{t0(), FaultKind::lamp_failure, "luminaire/L-1", "a", true, ""};
    Observation off = on;
    off.active = false;
    CHECK(debouncer.feed(on) == Transition::none);
    CHECK(debouncer.feed(on) == Transition::none);
    CHECK(debouncer.feed(off) == Transition::none);  // streak broken
    CHECK(debouncer.feed(on) == Transition::none);
    CHECK(debouncer.feed(on) == Transition::none);
    CHECK(debouncer.feed(on) == Transition::raise);
    CHECK(debouncer.feed(on) == Transition::none);  // raised once only
    CHECK(debouncer.feed(off) == Transition::none);
    CHECK(debouncer.feed(on) == Transition::none);
    CHECK(debouncer.feed(off) == Transition::none);
    CHECK(debouncer.feed(off) == Transition::clear);
    CHECK_FALSE(debouncer.raised(FaultKind::lamp_failure, "luminaire/L-1"));
    for (int i = 0; i < 20; ++i) CHECK(debouncer.feed(i % 2 ? on : off) == Transition::none);
}

TEST_CASE("default debounce: no_answer after three sweeps, cleared by one answer", "[faults][debounce]") {
    Debouncer debouncer;
    Observation lost{t0(), FaultKind::no_answer, "luminaire/L-1", "a", true, ""};
    CHECK(debouncer.feed(lost) == Transition::none);
    CHECK(debouncer.feed(lost) == Transition::none);
    CHECK(debouncer.feed(lost) == Transition::raise);
    lost.active = false;
    CHECK(debouncer.feed(lost) == Transition::clear);
}

TEST_CASE("severity escalates one step under a safety flag", "[faults][severity]") {
    CHECK(effective_severity(FaultKind::lamp_failure, false) == Severity::major);
    CHECK(effective_severity(FaultKind::lamp_failure, true) == Severity::critical);
    CHECK(effective_severity(FaultKind::door_open, true) == Severity::major);
    CHECK(effective_severity(FaultKind::night_outage, true) == Severity::critical);
    for (auto kind : all_kinds) CHECK(parse_kind(to_string(kind)) == kind);
    CHECK_FALSE(parse_kind("nonsense"));
}
