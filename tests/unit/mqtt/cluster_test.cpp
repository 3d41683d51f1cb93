// The pieces that make the gateway behave on a broker cluster: the node and
// protocol choice (BrokerList) and the answers to repeated request ids
// (AnswerCache, and the CommandRouter that uses it).
#include <catch2/catch.hpp>

#include "gateway/mqtt/answer_cache.hpp"
#include "gateway/mqtt/broker_list.hpp"
#include "gateway/mqtt/command_router.hpp"

using namespace lykta::mqtt;
using nlohmann::json;

TEST_CASE("broker list: nodes in order, wrapping round", "[mqtt][cluster]") {
    BrokerList list({"tcp://a:1883", "tcp://b:1883", "tcp://c:1883"}, 5);
    CHECK(list.uri() == "tcp://a:1883");
    CHECK_FALSE(list.failed(false));
    CHECK(list.uri() == "tcp://b:1883");
    CHECK_FALSE(list.failed(true));  // version 5 only: no fallback, next node
    CHECK(list.uri() == "tcp://c:1883");
    CHECK(list.version() == 5);
    CHECK_FALSE(list.failed(false));
    CHECK(list.uri() == "tcp://a:1883");
    list.connected();
    CHECK(list.index() == 0);
}

TEST_CASE("broker list: auto falls back to 3.1.1 on the same node at once, then keeps it",
          "[mqtt][cluster]") {
    BrokerList list({"tcp://rabbit1:1883", "tcp://rabbit2:1883"}, 0);
    CHECK(list.version() == 5);
    CHECK(list.protocol_name() == "5");
    CHECK(list.failed(true));  // refused 5: same node again, at once
    CHECK(list.uri() == "tcp://rabbit1:1883");
    CHECK(list.version() == 3);
    CHECK(list.protocol_name() == "3.1.1");
    CHECK_FALSE(list.failed(true));  // 3.1.1 failed too: the next node, still 3.1.1
    CHECK(list.uri() == "tcp://rabbit2:1883");
    CHECK(list.version() == 3);
    list.connected();
    CHECK_FALSE(list.failed(false));
    CHECK(list.version() == 3);  // for the life of the process (Paho, see broker_list.hpp)
}

TEST_CASE("refusals of MQTT 5 as Paho reports them", "[mqtt][cluster]") {
    CHECK(refuses_mqtt5(0x84, 0));        // MQTT 5.0 §3.2.2.2: Unsupported Protocol Version
    CHECK(refuses_mqtt5(0, 1));           // MQTT 3.1.1 §3.2.2.3: unacceptable protocol version
    CHECK(refuses_mqtt5(0, -1));          // closed before CONNACK (or refused TCP: Paho says the same)
    CHECK(refuses_mqtt5(0, -3));          // MQTTASYNC_DISCONNECTED
    CHECK_FALSE(refuses_mqtt5(0x87, 0));  // not authorised: a real answer in MQTT 5
    CHECK_FALSE(refuses_mqtt5(0, 5));     // 3.1.1 not authorised
}

TEST_CASE("broker list: a failure that is no refusal moves on to the next node", "[mqtt][cluster]") {
    BrokerList list({"tcp://a:1883"}, 0);
    CHECK_FALSE(list.failed(false));
    CHECK(list.version() == 5);
}

TEST_CASE("broker list: 3.1.1 forced", "[mqtt][cluster]") {
    BrokerList list({"tcp://a:1883"}, 3);
    CHECK(list.version() == 3);
    CHECK_FALSE(list.failed(true));
    CHECK(list.version() == 3);
}

TEST_CASE("broker list: needs a node", "[mqtt][cluster]") {
    CHECK_THROWS_AS(BrokerList({}, 0), std::invalid_argument);
}

namespace {
using Clock = std::chrono::steady_clock;
const Clock::time_point t0{};
}  // namespace

TEST_CASE("answer cache: keys", "[mqtt][cluster]") {
    const json set7 = {{"id", 7}, {"area", "torget"}, {"level", 40}};
    CHECK_FALSE(AnswerCache::key("mqtt", "area/set", {{"area", "torget"}}, ""));
    CHECK_FALSE(AnswerCache::key("mqtt", "area/set", {{"id", nullptr}, {"area", "torget"}}, ""));
    CHECK(AnswerCache::key("mqtt", "area/set", {{"id", "7"}, {"area", "torget"}, {"level", 40}}, "") !=
          AnswerCache::key("mqtt", "area/set", set7, ""));
    CHECK(AnswerCache::key("mqtt", "area/set", set7, "") !=
          AnswerCache::key("mqtt", "luminaire/set", set7, ""));
    CHECK(AnswerCache::key("mqtt", "area/set", set7, "") !=
          AnswerCache::key("local:1", "area/set", set7, ""));
    // A copy has the same key, whatever order its members were written in.
    CHECK(AnswerCache::key("mqtt", "area/set", set7, "") ==
          AnswerCache::key("mqtt", "area/set", json::parse(R"({"level":40,"area":"torget","id":7})"), ""));
    // The same id with other arguments is another request.
    CHECK(AnswerCache::key("mqtt", "area/set", set7, "") !=
          AnswerCache::key("mqtt", "area/set", {{"id", 7}, {"area", "torget"}, {"level", 41}}, ""));
    CHECK(AnswerCache::key("mqtt", "area/set", set7, "") !=
          AnswerCache::key("mqtt", "area/set", {{"id", 7}, {"area", "torget"}}, ""));
    // ... and so is one that asks for its answer elsewhere (MQTT 5 Response Topic, Correlation Data).
    const auto a = AnswerCache::reply_to("replies/w1", "c-1");
    CHECK(AnswerCache::key("mqtt", "area/set", set7, a) == AnswerCache::key("mqtt", "area/set", set7, a));
    CHECK(AnswerCache::key("mqtt", "area/set", set7, a) != AnswerCache::key("mqtt", "area/set", set7, ""));
    CHECK(AnswerCache::key("mqtt", "area/set", set7, a) !=
          AnswerCache::key("mqtt", "area/set", set7, AnswerCache::reply_to("replies/w2", "c-1")));
    CHECK(AnswerCache::key("mqtt", "area/set", set7, a) !=
          AnswerCache::key("mqtt", "area/set", set7, AnswerCache::reply_to("replies/w1", "c-2")));
    // The separator keeps topic and correlation apart.
    CHECK(AnswerCache::reply_to("replies/w1", "x") != AnswerCache::reply_to("replies/w1x", ""));
}

TEST_CASE("answer cache: a repeat within the age is answered from the cache", "[mqtt][cluster]") {
    AnswerCache cache({std::chrono::seconds(300), 16, 4096});
    std::vector<json> got;
    auto reply = [&](json e) { got.push_back(std::move(e)); };
    CHECK_FALSE(cache.replay("k", t0, reply));
    // A redelivery while the first copy is still being served waits for its answer.
    CHECK(cache.replay("k", t0 + std::chrono::seconds(1), reply));
    CHECK(got.empty());
    cache.answered("k", json{{"id", "k"}, {"status", "ok"}}, t0 + std::chrono::seconds(2));
    REQUIRE(got.size() == 1);
    CHECK(got[0]["status"] == "ok");
    CHECK(cache.replay("k", t0 + std::chrono::seconds(301), reply));
    CHECK(got.size() == 2);
    CHECK(cache.replayed() == 2);
    // Older than max_age (counted from the answer): served again.
    CHECK_FALSE(cache.replay("k", t0 + std::chrono::seconds(303), reply));
}

TEST_CASE("answer cache: bounded by entries and bytes, never dropping one in flight", "[mqtt][cluster]") {
    AnswerCache cache({std::chrono::seconds(300), 3, 800});
    std::vector<json> got;
    auto reply = [&](json e) { got.push_back(std::move(e)); };
    CHECK_FALSE(cache.replay("slow", t0, reply));  // stays in flight
    for (int i = 0; i < 5; ++i) {
        auto key = "k" + std::to_string(i);
        CHECK_FALSE(cache.replay(key, t0, reply));
        cache.answered(key, json{{"n", i}}, t0);
    }
    CHECK(cache.size() == 3);
    CHECK(cache.replay("slow", t0, reply));  // still known, still waiting
    CHECK(cache.replay("k4", t0, reply));
    CHECK_FALSE(cache.replay("k0", t0, reply));  // evicted: runs again
    // An answer over an eighth of the byte budget is passed on but not kept.
    got.clear();
    CHECK_FALSE(cache.replay("big", t0, reply));
    cache.answered("big", json{{"data", std::string(200, 'x')}}, t0);
    CHECK_FALSE(cache.replay("big", t0, reply));
    CHECK(cache.bytes() <= 800);
}

TEST_CASE("router: a repeated id is answered once more, the handler runs once", "[mqtt][cluster]") {
    int runs = 0;
    std::vector<json> replies;
    CommandRouter router({}, [] {});
    router.add("area/set", [&](const json&, Responder r) { r.ok({{"run", ++runs}}); });
    auto submit = [&](const std::string& payload, const std::string& client = "mqtt") {
        router.submit({"area/set", payload, client, [&](json e) { replies.push_back(std::move(e)); }}, t0);
        router.drain();
    };
    submit(R"({"id":"op-1","area":"torget"})");
    submit(R"({"id":"op-1","area":"torget"})");
    submit(R"({"id":"op-2","area":"torget"})");
    submit(R"({"id":"op-1","area":"torget"})", "local:7");  // another client's op-1
    submit(R"({"area":"torget"})");                         // no id: nothing to recognise
    submit(R"({"area":"torget"})");
    REQUIRE(replies.size() == 6);
    CHECK(runs == 5);
    CHECK(replies[0] == replies[1]);
    CHECK(replies[2]["data"]["run"] == 2);
    CHECK(replies[3]["data"]["run"] == 3);
    CHECK(router.counters().replayed == 1);
}

TEST_CASE("router: a reused id with other arguments runs; a copy of it is answered from the cache",
          "[mqtt][cluster]") {
    // area/safety's id names the flag: an operator sets a flag again under its
    // id with a changed definition, and a broker may redeliver either request.
    int runs = 0;
    std::vector<json> replies;
    CommandRouter router({}, [] {});
    router.add("area/safety", [&](const json& args, Responder r) {
        r.ok({{"run", ++runs}, {"until", args["until"]}});
    });
    auto submit = [&](const std::string& payload, const std::string& reply_to = "") {
        Request request{"area/safety", payload, "mqtt", [&](json e) { replies.push_back(std::move(e)); }};
        request.reply_to = reply_to;
        router.submit(std::move(request), t0);
        router.drain();
    };
    const std::string first = R"({"id":"trygg-2027","area":"torget","until":"2027-03-31"})";
    submit(first);
    submit(first);                                                          // redelivered
    submit(R"({"id":"trygg-2027","area":"torget","until":"2027-04-30"})");  // changed: runs
    submit(R"({"until":"2027-04-30","area":"torget","id":"trygg-2027"})");  // its copy, members reordered
    // An MQTT 5 requester that asks for the answer on its own topic is another request.
    submit(first, AnswerCache::reply_to("lykta/gw/response/_lyktactl/run-2", "gw|trygg-2027"));
    submit(first, AnswerCache::reply_to("lykta/gw/response/_lyktactl/run-2", "gw|trygg-2027"));
    REQUIRE(replies.size() == 6);
    CHECK(runs == 3);
    CHECK(replies[1] == replies[0]);
    CHECK(replies[2]["data"]["run"] == 2);
    CHECK(replies[2]["data"]["until"] == "2027-04-30");
    CHECK(replies[3] == replies[2]);
    CHECK(replies[4]["data"]["run"] == 3);
    CHECK(replies[5] == replies[4]);
    CHECK(router.counters().replayed == 3);
}
