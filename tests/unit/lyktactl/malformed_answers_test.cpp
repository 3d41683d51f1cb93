// One gateway's malformed answer or retained message never stops a fleet
// command: the envelope is checked once (checked_envelope), retained topics are
// read through typed accessors, and the report lists the bad gateway instead.
#include <catch2/catch.hpp>

#include "fleet_report.hpp"
#include "fleet_snapshot.hpp"
#include "focus_plan.hpp"
#include "requester.hpp"

using lykta::ctl::checked_envelope;
using nlohmann::json;

namespace {

const std::string topic = "lykta/gw-b/response/_lyktactl/x";

void check_bad(const json& envelope, const std::string& why) {
    INFO(envelope.dump());
    const auto checked = checked_envelope(envelope, "gw-b", topic);
    REQUIRE(checked["status"] == "error");
    CHECK(checked["error"]["code"] == "bad_answer");
    const auto message = checked["error"]["message"].get<std::string>();
    CHECK(message.find("gw-b") != std::string::npos);
    CHECK(message.find(topic) != std::string::npos);
    CHECK(message.find(why) != std::string::npos);
}

}  // namespace

TEST_CASE("answer envelope: the documented shapes pass unchanged") {
    const json ok{{"id", "a"}, {"status", "ok"}, {"data", {{"areas", json::array()}}}};
    CHECK(checked_envelope(ok, "gw-a", topic) == ok);
    const json error{
        {"id", "a"}, {"status", "error"}, {"error", {{"code", "too_busy"}, {"message", "later"}}}};
    CHECK(checked_envelope(error, "gw-a", topic) == error);
}

TEST_CASE("answer envelope: anything else is a bad_answer naming gateway and topic") {
    check_bad(json::parse("not json", nullptr, false), "not JSON");
    check_bad(json::array({1, 2}), "not a JSON object");
    check_bad({{"status", "error"}}, "without an `error` object");
    check_bad({{"status", "error"}, {"error", "x"}}, "without an `error` object");
    check_bad({{"status", "error"}, {"error", {{"code", 5}, {"message", "m"}}}}, "not a string");
    check_bad({{"status", "error"}, {"error", {{"code", "c"}}}}, "not a string");
    check_bad({{"status", "ok"}}, "no `data` object");
    check_bad({{"status", "ok"}, {"data", "x"}}, "no `data` object");
    check_bad({{"status", 1}, {"data", json::object()}}, "no `status`");
    check_bad({{"data", json::object()}}, "no `status`");
}

TEST_CASE("fleet report: a malformed report/get answer among good ones is listed, the others summed") {
    lykta::ctl::TownReport r;
    r.gateways = {"gw-a", "gw-b", "gw-c", "gw-d"};
    r.period = {"2026-10-01", "2026-10-31", {}};
    auto good = [](double lit) {
        return json{{"areas",
                     {{{"area", "torget"},
                       {"series", {{{"period", "2026-10"}, {"lit_hours", lit}}}},
                       {"total", {{"lit_hours", lit}}}}}}};
    };
    r.period.answers["gw-a"] = good(100);
    r.period.answers["gw-c"] = good(50);
    // gw-b's data lacks `areas` (came as {"status":"ok","data":{}}): not a figure of zero.
    r.period.answers["gw-b"] = json::object();
    // gw-d answered with wrong field types inside areas.
    r.period.answers["gw-d"] = {{"areas", {{{"area", 7}, {"total", "x"}}}}};
    json j;
    REQUIRE_NOTHROW(j = r.to_json());
    CHECK(j["town"]["period"]["lit_hours"].get<double>() == Approx(150));  // 100 + 50
    REQUIRE(j["missing"].size() == 2);
    CHECK(j["missing"][0]["gateway"] == "gw-b");
    CHECK(j["missing"][0]["bad_answer"] == true);
    CHECK(j["missing"][1]["gateway"] == "gw-d");
    CHECK(j["missing_share_pct"].get<double>() == Approx(50));  // 2 of 4
    CHECK(lykta::ctl::town_report_csv(j).find("bad_answer,gw-b") != std::string::npos);
    CHECK(lykta::ctl::town_report_html(j, "t").find("gw-d (bad answer)") != std::string::npos);
}

TEST_CASE("fleet report: wrong types inside a usable answer read as absent") {
    lykta::ctl::TownReport r;
    r.gateways = {"gw-a"};
    r.period = {"2026-10-01", "2026-10-31", {}};
    r.period.answers["gw-a"] = {
        {"areas",
         {{{"area", "torget"},
           {"series",
            {{{"period", 202610}, {"lit_hours", 5}}, "x", {{"period", "2026-10"}, {"recorded", "yes"}}}},
           {"total", {{"lit_hours", "many"}, {"safety_hours", 3}, {"recorded", 1}}}}}}};
    json j;
    REQUIRE_NOTHROW(j = r.to_json());
    CHECK(j["missing"].empty());
    CHECK(j["town"]["period"]["lit_hours"].get<double>() == 0);
    CHECK(j["town"]["period"]["safety_hours"].get<double>() == Approx(3));
}

TEST_CASE("fleet view: a retained status with wrong field types is shown, not fatal") {
    lykta::ctl::FleetSnapshot fleet;
    const auto now = std::chrono::system_clock::now();
    fleet.take("lykta", "lykta/gw-a/status", R"({"state":"online","since":"2026-12-01T00:00:00Z"})", now);
    fleet.take("lykta", "lykta/gw-b/status", R"({"state":1,"since":123,"reason":[]})", now);
    fleet.take("lykta", "lykta/gw-b/info", R"({"heartbeat_s":"often"})", now);
    fleet.take("lykta", "lykta/gw-c/status", R"({"state":"offline","reason":5})", now);
    lykta::ctl::Presence p;
    REQUIRE_NOTHROW(p = lykta::ctl::presence_of(fleet.gateways.at("gw-a"), std::chrono::seconds(0)));
    CHECK(p.state == "online");
    REQUIRE_NOTHROW(p = lykta::ctl::presence_of(fleet.gateways.at("gw-b"), std::chrono::seconds(5)));
    CHECK(p.state == "unknown");
    CHECK(p.detail.find("state") != std::string::npos);
    REQUIRE_NOTHROW(p = lykta::ctl::presence_of(fleet.gateways.at("gw-c"), std::chrono::seconds(0)));
    CHECK(p.state == "offline");
    CHECK(p.detail == "offline");
}

TEST_CASE("focus plan: malformed entries in area/safety/list are not this file's flags") {
    const json existing = json::array({"x", json{{"id", 5}, {"area", "torget"}},
                                       json{{"id", "city.2026.old"}, {"area", 3}, {"origin", "mqtt"}}});
    lykta::ctl::GatewayPlan plan;
    REQUIRE_NOTHROW(plan = lykta::ctl::plan_gateway("city", {}, existing));
    REQUIRE(plan.end.size() == 1);  // ours by id; its bad area reads as none
    CHECK(plan.end[0]["id"] == "city.2026.old");
}
