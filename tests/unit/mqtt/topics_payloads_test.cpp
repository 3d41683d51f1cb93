#include <catch2/catch.hpp>

#include "gateway/core/rfc3339.hpp"
#include "gateway/mqtt/payloads.hpp"
#include "gateway/mqtt/topics.hpp"

using namespace lykta;
using namespace lykta::mqtt;
using nlohmann::json;

TEST_CASE("topics are built under prefix/gateway-id") {
    Topics t("lykta", "bastad-c01");
    CHECK(t.root() == "lykta/bastad-c01");
    CHECK(t.status() == "lykta/bastad-c01/status");
    CHECK(t.info() == "lykta/bastad-c01/info");
    CHECK(t.heartbeat() == "lykta/bastad-c01/heartbeat");
    CHECK(t.event() == "lykta/bastad-c01/event");
    CHECK(t.telemetry() == "lykta/bastad-c01/telemetry");
    CHECK(t.alarms() == "lykta/bastad-c01/alarms");
    CHECK(t.request_filter() == "lykta/bastad-c01/request/#");
    CHECK(t.response("luminaire/set") == "lykta/bastad-c01/response/luminaire/set");
    CHECK(t.at(Topics::luminaire_state("L-1")) == "lykta/bastad-c01/luminaire/L-1/state");
    CHECK(Topics::area_state("torget") == "area/torget/state");
    CHECK(Topics::meter_state("m1") == "meter/m1/state");
}

TEST_CASE("request topics map to command paths, nothing else does") {
    Topics t("city/north", "gw");
    CHECK(t.request_command("city/north/gw/request/luminaire/set") == "luminaire/set");
    CHECK(t.request_command("city/north/gw/request/republish") == "republish");
    CHECK_FALSE(t.request_command("city/north/gw/request/"));
    CHECK_FALSE(t.request_command("city/north/gw/response/republish"));
    CHECK_FALSE(t.request_command("city/north/gw2/request/republish"));
    CHECK_FALSE(t.request_command("other/gw/request/republish"));
}

TEST_CASE("state sub-topics parse into kind and id") {
    auto l = parse_state_subtopic("luminaire/L-12/state");
    REQUIRE(l);
    CHECK(l->kind == "luminaire");
    CHECK(l->id == "L-12");
    CHECK(parse_state_subtopic("meter/m.1/state")->kind == "meter");
    CHECK_FALSE(parse_state_subtopic("alarms"));
    CHECK_FALSE(parse_state_subtopic("luminaire//state"));
    CHECK_FALSE(parse_state_subtopic("luminaire/L-1/other"));
    CHECK_FALSE(parse_state_subtopic("bus/b1/state"));
}

TEST_CASE("publishable topics have no wildcards") {
    CHECK(is_publishable_topic("platform/replies/42"));
    CHECK_FALSE(is_publishable_topic(""));
    CHECK_FALSE(is_publishable_topic("a/+/b"));
    CHECK_FALSE(is_publishable_topic("a/#"));
    CHECK_FALSE(is_publishable_topic(std::string("a\0b", 3)));
}

TEST_CASE("status payloads follow the contract") {
    auto since = SystemTime(std::chrono::seconds(1795539900));  // 2026-11-24T17:05:00Z
    CHECK(rfc3339_utc(since) == "2026-11-24T17:05:00Z");
    auto online = status_online(7, since, "1.2.3");
    CHECK(online ==
          json{{"state", "online"}, {"session", 7}, {"since", "2026-11-24T17:05:00Z"}, {"version", "1.2.3"}});
    auto offline = status_offline(7, "connection-lost");
    CHECK(offline == json{{"state", "offline"}, {"session", 7}, {"reason", "connection-lost"}});
}

TEST_CASE("info lists buses with counts, networks, hash and capabilities") {
    config::Config c;
    c.gateway.id = "gw";
    c.gateway.name = "Cabinet";
    c.site.timezone = "Europe/Stockholm";
    for (const char* id : {"bus1", "bus2"}) {
        config::DaliBus bus;
        bus.id = id;
        c.dali.buses.push_back(bus);
    }
    for (const char* id : {"L1", "L2"}) {
        config::Luminaire l;
        l.id = id;
        l.bus = "bus1";
        c.luminaires.push_back(l);
    }
    config::ModbusNetwork net;
    net.id = "rs485";
    net.type = "rtu";
    c.modbus.networks.push_back(net);
    config::ModbusDevice meter;
    meter.id = "m1";
    meter.network = "rs485";
    c.modbus.devices.push_back(meter);
    auto out = info(c, {"0.1.0", "abcd", {"republish", "luminaire/set"}, {{"schedule_revision", 4}}});
    CHECK(out["id"] == "gw");
    CHECK(out["api"] == 1);
    CHECK(out["site"]["timezone"] == "Europe/Stockholm");
    REQUIRE(out["buses"].size() == 2);
    CHECK(out["buses"][0]["luminaires"] == 2);
    CHECK(out["buses"][1]["luminaires"] == 0);
    CHECK(out["modbus_networks"][0]["devices"] == 1);
    CHECK(out["config_hash"] == "abcd");
    CHECK(out["capabilities"] == json{"republish", "luminaire/set"});
    CHECK(out["schedule_revision"] == 4);
}

TEST_CASE("heartbeat carries counters and named sources") {
    HeartbeatFacts f;
    f.uptime_s = 61;
    f.outbox_depth = 3;
    f.seq = 99;
    f.extra["dali"] = {{"bus1", {{"frames", 10}}}};
    auto out = heartbeat(f);
    CHECK(out["uptime_s"] == 61);
    CHECK(out["outbox_depth"] == 3);
    CHECK(out["seq"] == 99);
    CHECK(out["dali"]["bus1"]["frames"] == 10);
}

TEST_CASE("events get a ts unless they carry one") {
    auto now = SystemTime(std::chrono::seconds(1795539900));
    CHECK(stamp({{"type", "x"}}, now)["ts"] == "2026-11-24T17:05:00Z");
    CHECK(stamp({{"type", "x"}, {"ts", "keep"}}, now)["ts"] == "keep");
}

TEST_CASE("delivery fields are spliced into the stored object") {
    CHECK(json::parse(with_delivery_fields(R"({"type":"a"})", 5, false)) == json{{"seq", 5}, {"type", "a"}});
    CHECK(json::parse(with_delivery_fields(R"({"type":"a"})", 6, true)) ==
          json{{"seq", 6}, {"historical", true}, {"type", "a"}});
    CHECK(json::parse(with_delivery_fields("{}", 7, true)) == json{{"seq", 7}, {"historical", true}});
}

#include "gateway/mqtt/tcp_nodelay.hpp"

TEST_CASE("the broker port comes from the URI, or the scheme's default") {
    CHECK(port_of_uri("tcp://127.0.0.1:18830") == 18830);
    CHECK(port_of_uri("ssl://broker.example:8884/") == 8884);
    CHECK(port_of_uri("ws://h:9001/mqtt") == 9001);
    CHECK(port_of_uri("tcp://broker.example") == 1883);
    CHECK(port_of_uri("ssl://broker.example") == 8883);
    CHECK(port_of_uri("wss://[::1]/mqtt") == 443);
    CHECK(port_of_uri("[::1]:1883") == 0);
}

TEST_CASE("a late will is a status from an earlier session, nothing else", "[mqtt][cluster]") {
    const auto earlier = status_offline(6, "connection-lost");
    CHECK(is_late_will(earlier, 7));
    // The current session's own will: the broker is dropping this connection
    // (mosquitto publishes it on shutdown), not a crashed node's leftover.
    CHECK_FALSE(is_late_will(status_offline(7, "connection-lost"), 7));
    CHECK_FALSE(is_late_will(status_offline(8, "connection-lost"), 7));
    CHECK_FALSE(is_late_will(status_online(6, SystemTime{}, "0.1.0"), 7));
    // Whatever else lands on P/status is not acted on (reliability: test_hardening).
    CHECK_FALSE(is_late_will(nlohmann::json::parse(R"({"id":"not-a-request"})"), 7));
    CHECK_FALSE(is_late_will(nlohmann::json::parse(R"({"state":"offline","session":"6"})"), 7));
    CHECK_FALSE(is_late_will(nlohmann::json::parse(R"({"state":1,"session":6})"), 7));
    CHECK_FALSE(is_late_will(nlohmann::json::parse("[1,2]"), 7));
    CHECK_FALSE(is_late_will(nlohmann::json::parse("x", nullptr, false), 7));
}
