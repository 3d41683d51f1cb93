// Every lighting command handler refuses arguments that do not parse with the
// API's code and field, and changes nothing: no evaluation, no store write, no
// event. The handlers run over a real policy runner on an in-memory store.
#include <catch2/catch.hpp>

#include "gateway/config/loader.hpp"
#include "gateway/core/manual_timers.hpp"
#include "gateway/lighting/lighting_commands.hpp"
#include "tests/unit/lighting/rig.hpp"
#include "tests/unit/support/recording_uplink.hpp"

using namespace lykta;
using lykta::test::utc;

namespace {

config::Config site() {
    auto result = config::load_string(R"(version: 1
gateway: { id: gw }
site: { latitude: 56.43, longitude: 12.85, timezone: Europe/Stockholm }
dali:
  buses: [{ id: bus1, interface: "foxtron://127.0.0.1:1" }]
luminaires:
  - { id: L-1, bus: bus1, address: 0, area: torget }
areas:
  - { id: torget, profile: p, safety_profile: trygg }
profiles:
  p: [{ at: "18:00", level: 80 }, { at: "06:00", level: 0 }]
  trygg: [{ at: "16:00", level: 90 }, { at: "08:00", level: 0 }]
safety_flags:
  - { id: standing, area: torget, from: "2025-01-01", until: "2025-12-31", reason: survey, source: police }
)");
    for (const auto& d : result.diagnostics) FAIL(d.to_string());
    REQUIRE(result.ok());
    return *result.config;
}

struct Changes final : lighting::PolicyChanges {
    void evaluate() override { ++evaluations; }
    void evaluate_luminaires(const std::vector<std::size_t>&, lighting::Actuator::Done done) override {
        ++evaluations;
        if (done) done({});
    }
    int evaluations = 0;
};

struct Rig {
    Rig() : config(site()), db(":memory:"), timers(clock), policy(config, db, uplink, clock, timers) {
        policy.start([] {});
        uplink.events.clear();  // the config's flag started: not the commands' doing
        lighting::register_lighting_commands(uplink, {policy, changes, uplink});
    }
    // The error of `command` with `args`; fails when it was answered ok.
    nlohmann::json error(const std::string& command, nlohmann::json args) {
        std::optional<nlohmann::json> answer;
        uplink.commands.at(command)(args, api::Responder([&](nlohmann::json b) { answer = std::move(b); }));
        REQUIRE(answer);
        REQUIRE((*answer)["status"] == "error");
        return (*answer)["error"];
    }
    config::Config config;
    store::Database db;
    ManualClock clock{utc(20)};
    ManualTimers timers;
    test::RecordingUplink uplink;
    Changes changes;
    lighting::PolicyRunner policy;
};

// `field` empty: the error names none.
void check(const nlohmann::json& error, const std::string& code, const std::string& field) {
    INFO(error.dump());
    CHECK(error.at("code") == code);
    CHECK(error.value("field", std::string()) == field);
    CHECK_FALSE(error.at("message").get<std::string>().empty());
}

}  // namespace

TEST_CASE("commands: luminaire/set and area/set refuse what does not parse", "[lighting][commands]") {
    Rig rig;
    check(rig.error("luminaire/set", {{"level", 50}}), "bad_request", "luminaire");
    check(rig.error("luminaire/set", {{"luminaire", 7}, {"level", 50}}), "bad_request", "luminaire");
    check(rig.error("luminaire/set", {{"luminaire", "X"}, {"level", 50}}), "unknown_luminaire", "luminaire");
    check(rig.error("luminaire/set", {{"luminaire", "L-1"}}), "bad_request", "level");
    check(rig.error("area/set", {{"area", "torget"}, {"level", "high"}}), "bad_request", "level");
    check(rig.error("area/set", {{"area", "torget"}, {"level", 101}}), "out_of_range", "level");
    check(rig.error("area/set", {{"area", "torget"}, {"level", 5}, {"fade_s", -1}}), "out_of_range",
          "fade_s");
    check(rig.error("area/set",
                    {{"area", "torget"}, {"level", 5}, {"duration_s", 10}, {"until", "2025-01-16"}}),
          "bad_request", "until");
    check(rig.error("area/set", {{"area", "torget"}, {"level", 5}, {"until", "2025-01-14T12:00:00Z"}}),
          "out_of_range", "until");
    check(rig.error("area/set", {{"area", "nowhere"}, {"level", 5}}), "unknown_area", "area");
    check(rig.error("area/set", nlohmann::json::array()), "bad_request", "");
    CHECK(rig.changes.evaluations == 0);
    CHECK(rig.policy.inputs().overrides.empty());
    CHECK(rig.policy.store().overrides().empty());
    CHECK(rig.uplink.events.empty());
}

TEST_CASE("commands: override/clear and explain want exactly one configured target", "[lighting][commands]") {
    Rig rig;
    for (const char* command : {"override/clear", "explain"}) {
        INFO(command);
        check(rig.error(command, nlohmann::json::object()), "bad_request", "luminaire");
        check(rig.error(command, {{"luminaire", "L-1"}, {"area", "torget"}}), "bad_request", "area");
        check(rig.error(command, {{"area", 3}}), "bad_request", "area");
        check(rig.error(command, {{"luminaire", "nope"}}), "unknown_luminaire", "luminaire");
        check(rig.error(command, {{"area", "nowhere"}}), "unknown_area", "area");
    }
    check(rig.error("explain", {{"area", "torget"}, {"at", 5}}), "bad_request", "at");
    check(rig.error("explain", {{"area", "torget"}, {"at", "yesterday"}}), "bad_request", "at");
    CHECK(rig.changes.evaluations == 0);
}

TEST_CASE("commands: the safety flag commands refuse what does not parse", "[lighting][commands]") {
    Rig rig;
    const auto flags = rig.policy.inputs().flags.size();
    check(rig.error("area/safety", {{"until", "2025-02-01"}}), "bad_request", "area");
    check(rig.error("area/safety", {{"area", "nowhere"}, {"until", "2025-02-01"}}), "unknown_area", "area");
    check(rig.error("area/safety", {{"area", "torget"}}), "bad_request", "until");
    check(rig.error("area/safety", {{"area", "torget"}, {"until", "2024-02-01"}}), "out_of_range", "until");
    check(rig.error("area/safety",
                    {{"area", "torget"}, {"until", "2025-02-01"}, {"recurrence", {{"from", "x"}}}}),
          "bad_request", "recurrence.from");
    check(rig.error("area/safety", {{"area", "torget"}, {"until", "2025-02-01"}, {"profile", "none"}}),
          "bad_request", "profile");
    // A flag of the config cannot be replaced or cleared over MQTT.
    check(rig.error("area/safety", {{"id", "standing"}, {"area", "torget"}, {"until", "2025-02-01"}}),
          "conflict", "id");
    check(rig.error("area/safety/clear", nlohmann::json::object()), "bad_request", "area");
    check(rig.error("area/safety/clear", {{"area", "nowhere"}}), "unknown_area", "area");
    check(rig.error("area/safety/clear", {{"area", "torget"}, {"flag", 1}}), "bad_request", "flag");
    check(rig.error("area/safety/clear", {{"area", "torget"}, {"flag", "none"}}), "bad_request", "flag");
    check(rig.error("area/safety/clear", {{"area", "torget"}, {"flag", "standing"}}), "conflict", "flag");
    check(rig.error("area/safety/list", {{"area", false}}), "bad_request", "area");
    check(rig.error("area/safety/list", {{"area", "nowhere"}}), "unknown_area", "area");
    CHECK(rig.changes.evaluations == 0);
    CHECK(rig.policy.inputs().flags.size() == flags);
    CHECK(rig.policy.store().flags().empty());
}

TEST_CASE("commands: luminaire/identify and schedule/set refuse what does not parse",
          "[lighting][commands]") {
    Rig rig;
    check(rig.error("luminaire/identify", nlohmann::json::object()), "bad_request", "luminaire");
    check(rig.error("luminaire/identify", {{"luminaire", "nope"}}), "unknown_luminaire", "luminaire");
    check(rig.error("luminaire/identify", {{"luminaire", "L-1"}, {"seconds", "ten"}}), "bad_request",
          "seconds");
    check(rig.error("luminaire/identify", {{"luminaire", "L-1"}, {"seconds", 601}}), "out_of_range",
          "seconds");
    CHECK(rig.policy.inputs().maintenance.empty());
    CHECK(rig.timers.pending() == 0);  // no blink

    check(rig.error("schedule/set", {{"profiles", nlohmann::json::object()}}), "bad_request", "revision");
    check(rig.error("schedule/set", {{"revision", "0"}}), "bad_request", "revision");
    check(rig.error("schedule/set", {{"revision", 1.5}}), "bad_request", "revision");
    check(rig.error("schedule/set", {{"revision", 3}}), "conflict", "revision");
    check(rig.error("schedule/set", {{"revision", 0},
                                     {"profiles",
                                      {{"p", {{{"at", "25:00"}, {"level", 80}}}},
                                       {"trygg", {{{"at", "16:00"}, {"level", 90}}}}}}}),
          "bad_request", "profiles.p.0.at");
    CHECK(rig.policy.revision() == 0);
    CHECK(rig.policy.store().schedule_revision() == 0);
    CHECK(rig.changes.evaluations == 0);
    CHECK(rig.uplink.events.empty());
}
