#include <catch2/catch.hpp>

#include <stdexcept>

#include "gateway/api/command_router.hpp"

using namespace lykta::api;
using nlohmann::json;

namespace {

struct Harness {
    RouterLimits limits;
    std::vector<json> replies;
    int wakes = 0;
    std::chrono::steady_clock::time_point now{};
    std::unique_ptr<CommandRouter> router;

    explicit Harness(RouterLimits l = {}) : limits(l) {
        router = std::make_unique<CommandRouter>(limits, [this] { ++wakes; });
        router->add("echo", [](const json& args, Responder r) { r.ok({{"args", args}}); });
    }
    void submit(const std::string& command, const std::string& payload, const std::string& client = "c") {
        router->submit({command, payload, client, [this](json e) { replies.push_back(std::move(e)); }}, now);
    }
    json only_reply() {
        router->drain(1000);
        REQUIRE(replies.size() == 1);
        return replies.front();
    }
};

}  // namespace

TEST_CASE("a request is dispatched by path and its id echoed") {
    Harness h;
    h.submit("echo", R"({"id":"t-1","x":2})");
    CHECK(h.wakes == 1);
    auto r = h.only_reply();
    CHECK(r["id"] == "t-1");
    CHECK(r["status"] == "ok");
    CHECK(r["data"]["args"]["x"] == 2);
}

TEST_CASE("non-string ids are echoed as given, a missing id as null") {
    Harness h;
    h.submit("echo", R"({"id":17})");
    h.submit("echo", R"({})");
    h.router->drain();
    REQUIRE(h.replies.size() == 2);
    CHECK(h.replies[0]["id"] == 17);
    CHECK(h.replies[1]["id"].is_null());
}

TEST_CASE("malformed requests answer bad_json and reach no handler") {
    Harness h;
    int calls = 0;
    h.router->add("count", [&](const json&, Responder r) {
        ++calls;
        r.ok();
    });
    for (std::string bad : {"", "nope", "[]", "\"x\"", "{\"a\":\"\xc3\"}", "{\"a\":1e999}"})
        h.submit("count", bad);
    h.submit("count", "{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}");
    h.router->drain();
    REQUIRE(h.replies.size() == 7);
    for (const auto& r : h.replies) {
        CHECK(r["status"] == "error");
        CHECK(r["error"]["code"] == "bad_json");
        CHECK(r["id"].is_null());
    }
    CHECK(calls == 0);
}

TEST_CASE("an unknown command answers unknown_command with the id") {
    Harness h;
    h.submit("luminaire/set", R"({"id":"a"})");
    auto r = h.only_reply();
    CHECK(r["error"]["code"] == "unknown_command");
    CHECK(r["id"] == "a");
}

TEST_CASE("payloads over max_payload answer too_large without parsing") {
    RouterLimits l;
    l.max_payload = 16;
    Harness h(l);
    h.submit("echo", R"({"id":"a","pad":"0123456789"})");
    REQUIRE(h.replies.size() == 1);  // answered at once, never queued
    CHECK(h.replies[0]["error"]["code"] == "too_large");
    CHECK(h.router->queued() == 0);
    h.replies.clear();
    h.submit("echo", R"({"id":"ok"})");  // exactly 11 bytes: under the limit
    CHECK(h.only_reply()["status"] == "ok");
}

TEST_CASE("a full queue answers too_busy and counts it; the queued ones are served in order") {
    RouterLimits l;
    l.queue_capacity = 3;
    l.rate_per_s = 0;  // no rate limit
    Harness h(l);
    for (int i = 0; i < 5; ++i) h.submit("echo", R"({"id":)" + std::to_string(i) + "}");
    REQUIRE(h.replies.size() == 2);
    CHECK(h.replies[0]["error"]["code"] == "too_busy");
    CHECK(h.replies[1]["error"]["code"] == "too_busy");
    CHECK(h.router->counters().rejected_busy == 2);
    h.router->drain();
    REQUIRE(h.replies.size() == 5);
    CHECK(h.replies[2]["id"] == 0);
    CHECK(h.replies[3]["id"] == 1);
    CHECK(h.replies[4]["id"] == 2);
}

TEST_CASE("drain serves a bounded batch and asks for another turn") {
    RouterLimits l;
    l.rate_per_s = 0;
    Harness h(l);
    for (int i = 0; i < 10; ++i) h.submit("echo", "{}");
    CHECK(h.wakes == 1);
    CHECK(h.router->drain(4) == 6);
    CHECK(h.wakes == 2);
    CHECK(h.router->drain(100) == 0);
    CHECK(h.wakes == 2);
}

TEST_CASE("the rate limit is per client and refills with time") {
    RouterLimits l;
    l.rate_per_s = 2;
    Harness h(l);
    for (int i = 0; i < 3; ++i) h.submit("echo", "{}", "a");
    h.submit("echo", "{}", "b");
    REQUIRE(h.replies.size() == 1);
    CHECK(h.replies[0]["error"]["code"] == "too_busy");
    CHECK(h.router->counters().rejected_rate == 1);
    h.router->drain();
    CHECK(h.replies.size() == 4);
    h.now += std::chrono::milliseconds(500);  // one token back for "a"
    h.submit("echo", "{}", "a");
    h.router->drain();
    h.submit("echo", "{}", "a");
    h.router->drain();
    REQUIRE(h.replies.size() == 6);
    CHECK(h.replies[4]["status"] == "ok");
    CHECK(h.replies[5]["error"]["code"] == "too_busy");
}

TEST_CASE("a request refused as too busy is answered with its id") {
    RouterLimits l;
    l.rate_per_s = 1;
    Harness h(l);
    h.submit("echo", R"({"id":"first"})");
    h.submit("echo", R"({"id":"second"})");  // over the rate
    h.submit("echo", R"({"id":7})");
    h.submit("echo", "not json");
    REQUIRE(h.replies.size() == 3);
    CHECK(h.replies[0]["id"] == "second");
    CHECK(h.replies[0]["error"]["code"] == "too_busy");
    CHECK(h.replies[1]["id"] == 7);
    CHECK(h.replies[2]["id"].is_null());
    CHECK(h.replies[2]["error"]["code"] == "too_busy");
}

TEST_CASE("exactly one response even when a handler throws") {
    Harness h;
    h.router->add("throws", [](const json&, Responder) { throw std::runtime_error("boom"); });
    h.router->add("answers-then-throws", [](const json&, Responder r) {
        r.ok();
        throw std::runtime_error("late boom");
    });
    h.router->add("forgets", [](const json&, Responder) {});
    h.submit("throws", R"({"id":1})");
    h.submit("answers-then-throws", R"({"id":2})");
    h.submit("forgets", R"({"id":3})");
    h.router->drain();
    REQUIRE(h.replies.size() == 3);
    CHECK(h.replies[0]["id"] == 1);
    CHECK(h.replies[0]["error"]["code"] == "internal");
    CHECK(h.replies[1]["id"] == 2);
    CHECK(h.replies[1]["status"] == "ok");
    CHECK(h.replies[2]["id"] == 3);
    CHECK(h.replies[2]["error"]["code"] == "internal");
    CHECK(h.router->counters().handler_exceptions == 2);
}

TEST_CASE("a handler may keep its responder and answer later, once") {
    Harness h;
    std::optional<Responder> kept;
    h.router->add("later", [&](const json&, Responder r) { kept.emplace(std::move(r)); });
    h.submit("later", R"({"id":"x"})");
    h.router->drain();
    CHECK(h.replies.empty());
    kept->error(error_code::bus_error, "no answer from bus1", "luminaire");
    kept->ok();
    kept.reset();
    REQUIRE(h.replies.size() == 1);
    CHECK(h.replies[0]["id"] == "x");
    CHECK(h.replies[0]["error"] ==
          json{{"code", "bus_error"}, {"message", "no answer from bus1"}, {"field", "luminaire"}});
}

TEST_CASE("commands lists the registered paths") {
    Harness h;
    h.router->add("republish", [](const json&, Responder r) { r.ok(); });
    CHECK(h.router->commands() == std::vector<std::string>{"echo", "republish"});
    CHECK(h.router->has("echo"));
    CHECK_FALSE(h.router->has("nope"));
}

TEST_CASE("a closed router answers queued and later requests 'stopping' and runs none of them") {
    Harness h;
    int runs = 0;
    h.router->add("count", [&](const json&, Responder r) {
        ++runs;
        r.ok();
    });
    h.submit("count", R"({"id":"q-1"})");
    h.router->close();
    h.submit("count", R"({"id":"q-2"})");
    h.router->drain(1000);
    CHECK(runs == 0);
    REQUIRE(h.replies.size() == 2);
    for (const auto& [i, id] : {std::pair{0, "q-1"}, std::pair{1, "q-2"}}) {
        CHECK(h.replies[i]["id"] == id);
        CHECK(h.replies[i]["status"] == "error");
        CHECK(h.replies[i]["error"]["code"] == "too_busy");
    }
    CHECK(h.router->queued() == 0);
}

TEST_CASE("a reply that throws out of drain still leaves the rest of the queue another turn") {
    RouterLimits limits;
    int wakes = 0, served = 0;
    CommandRouter router(limits, [&] { ++wakes; });
    router.add("echo", [](const json&, Responder r) { r.ok(); });
    auto now = std::chrono::steady_clock::time_point{};
    // An unknown command is answered outside the handler's gate: its reply's exception leaves drain().
    router.submit({"nope", "{}", "c", [](json) { throw std::runtime_error("the link refused the answer"); }},
                  now);
    router.submit({"echo", "{}", "c", [&](json) { ++served; }}, now);
    CHECK(wakes == 1);
    CHECK_THROWS(router.drain(1000));
    CHECK(wakes == 2);  // the owner is asked for another turn
    router.drain(1000);
    CHECK(served == 1);
}
