// Answers to repeated request ids: what makes the gateway behave when a broker
// cluster delivers a request twice (AnswerCache, and the CommandRouter that uses it).
#include <catch2/catch.hpp>

#include "gateway/api/answer_cache.hpp"
#include "gateway/api/command_router.hpp"

using namespace lykta::api;
using nlohmann::json;

namespace {
using Clock = std::chrono::steady_clock;
const Clock::time_point t0{};
}  // namespace

TEST_CASE("answer cache: keys", "[api][cluster]") {
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

TEST_CASE("answer cache: a repeat within the age is answered from the cache", "[api][cluster]") {
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

TEST_CASE("answer cache: bounded by entries and bytes, never dropping one in flight", "[api][cluster]") {
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

TEST_CASE("router: a repeated id is answered once more, the handler runs once", "[api][cluster]") {
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
          "[api][cluster]") {
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
