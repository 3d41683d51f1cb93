#include <catch2/catch.hpp>

#include <filesystem>

#include "gateway/mqtt/backoff.hpp"
#include "gateway/mqtt/outbox.hpp"
#include "gateway/mqtt/retained_state.hpp"

using namespace lykta;
using namespace lykta::mqtt;
using nlohmann::json;

namespace {
std::string temp_db() {
    auto path = std::filesystem::temp_directory_path() /
                ("lykta-mqtt-unit-" + std::to_string(::getpid()) + "-" + std::to_string(rand()) + ".db");
    return path.string();
}
}  // namespace

TEST_CASE("outbox keeps order, assigns increasing seq and survives reopening") {
    auto path = temp_db();
    std::int64_t first = 0;
    {
        store::Database db(path);
        Outbox box(db, 1 << 20);
        first = box.append(OutboxKind::event, "event", {{"type", "a"}}, false);
        CHECK(box.append(OutboxKind::telemetry, "telemetry", {{"kwh", 1}}, true) == first + 1);
        CHECK(box.append(OutboxKind::event, "event", {{"type", "b"}}, true) == first + 2);
        CHECK(box.depth() == 3);
    }
    store::Database db(path);
    Outbox box(db, 1 << 20);
    CHECK(box.depth() == 3);
    auto all = box.next(0, 10);
    REQUIRE(all.size() == 3);
    CHECK(all[0].seq == first);
    CHECK(json::parse(all[0].payload)["type"] == "a");
    CHECK_FALSE(all[0].historical);
    CHECK(all[1].subtopic == "telemetry");
    CHECK(all[1].historical);
    CHECK(box.next(all[1].seq, 10).size() == 1);
    box.remove(all[0].seq);
    box.remove(all[0].seq);  // a duplicate ack is harmless
    CHECK(box.depth() == 2);
    // seq is never reused, even once the outbox drained empty
    box.remove(std::vector<std::int64_t>{all[1].seq, all[2].seq, all[0].seq});
    CHECK(box.depth() == 0);
    CHECK(box.bytes() == 0);
    CHECK(box.append(OutboxKind::event, "event", {{"type", "c"}}, false) == first + 3);
    CHECK(box.last_seq() == first + 3);
    std::filesystem::remove(path);
}

TEST_CASE("over budget the oldest telemetry goes first, events never") {
    store::Database db(":memory:");
    std::string pad(100, 'x');
    Outbox box(db, 1000);
    for (int i = 0; i < 5; ++i)
        box.append(OutboxKind::event, "event", {{"type", "e"}, {"n", i}, {"pad", pad}}, true);
    for (int i = 0; i < 5; ++i)
        box.append(OutboxKind::telemetry, "telemetry", {{"n", i}, {"pad", pad}}, true);
    // 10 messages of ~120 bytes against 1000 bytes: telemetry 0.. dropped first
    CHECK(box.bytes() <= 1000);
    CHECK(box.telemetry_dropped() >= 1);
    auto left = box.next(0, 100);
    int events = 0;
    int first_telemetry = -1;
    for (const auto& e : left) {
        if (e.subtopic == "event")
            ++events;
        else if (first_telemetry < 0)
            first_telemetry = json::parse(e.payload)["n"];
    }
    CHECK(events == 5);
    CHECK(first_telemetry == static_cast<int>(box.telemetry_dropped()));
    // only events left and still over: they are kept
    for (int i = 0; i < 10; ++i) box.append(OutboxKind::event, "event", {{"pad", pad}}, true);
    CHECK(box.over_budget());
    int events_after = 0;
    for (const auto& e : box.next(0, 100)) events_after += e.subtopic == "event";
    CHECK(events_after == 15);
}

TEST_CASE("retained state coalesces a burst into its last payload") {
    store::Database db(":memory:");
    RetainedState s(db);
    s.set("luminaire/L1/state", R"({"level":10})");
    s.set("luminaire/L2/state", R"({"level":1})");
    s.set("luminaire/L1/state", R"({"level":20})");
    auto dirty = s.take_dirty();
    REQUIRE(dirty.size() == 2);
    CHECK(dirty[0] == RetainedState::Entry{"luminaire/L1/state", R"({"level":20})"});
    CHECK(dirty[1].first == "luminaire/L2/state");
    for (const auto& e : dirty) s.published(e);
    CHECK_FALSE(s.has_dirty());
    s.set("luminaire/L1/state", R"({"level":20})");  // unchanged: nothing to send
    CHECK_FALSE(s.has_dirty());
    s.set("luminaire/L1/state", R"({"level":30})");
    CHECK(s.has_dirty());
    CHECK(s.take_all().size() == 2);
    CHECK_FALSE(s.has_dirty());
}

TEST_CASE("retained state: a payload the broker took late does not mask a newer one") {
    store::Database db(":memory:");
    RetainedState s(db);
    s.set("luminaire/L1/state", "A");
    auto in_flight = s.take_dirty();  // A on its way
    s.set("luminaire/L1/state", "B");
    s.published(in_flight[0]);  // the broker confirms A after B was set
    auto next = s.take_dirty();
    REQUIRE(next.size() == 1);
    CHECK(next[0].second == "B");
    s.published(next[0]);
    s.set("luminaire/L1/state", "B");  // the broker has B: nothing to send
    CHECK_FALSE(s.has_dirty());
    s.set("luminaire/L1/state", "A");  // back to A: the broker holds B, so A goes out
    CHECK(s.has_dirty());
}

TEST_CASE("retained state renders a rendered topic when it is taken, every time") {
    store::Database db(":memory:");
    RetainedState s(db);
    int level = 10;
    int renders = 0;
    auto render = [&] {
        ++renders;
        return R"({"level":)" + std::to_string(level) + "}";
    };
    s.set_rendered("luminaire/L1/state", render);
    CHECK(renders == 0);  // nothing rendered before it goes out
    level = 20;           // changed inside the coalescing window: the last state goes out
    s.set_rendered("luminaire/L1/state", render);
    auto dirty = s.take_dirty();
    REQUIRE(dirty.size() == 1);
    CHECK(dirty[0] == RetainedState::Entry{"luminaire/L1/state", R"({"level":20})"});
    s.published(dirty[0]);
    CHECK_FALSE(s.has_dirty());
    level = 30;  // republish / reconnect: rendered afresh
    auto all = s.take_all();
    REQUIRE(all.size() == 1);
    CHECK(all[0].second == R"({"level":30})");
    CHECK(renders == 2);
    // A plain payload replaces the renderer; an equal one after it is not re-sent.
    s.set("luminaire/L1/state", "A");
    auto plain = s.take_dirty();
    REQUIRE(plain.size() == 1);
    CHECK(plain[0].second == "A");
    s.published(plain[0]);
    s.set("luminaire/L1/state", "A");
    CHECK_FALSE(s.has_dirty());
    CHECK(renders == 2);
    // A clear of a rendered topic goes out empty.
    s.set_rendered("luminaire/L1/state", render);
    s.clear("luminaire/L1/state");
    auto cleared = s.take_dirty();
    REQUIRE(cleared.size() == 1);
    CHECK(cleared[0].second.empty());
    CHECK(renders == 2);
}

TEST_CASE("retained topics of ids gone from the config are stale after a restart") {
    auto path = temp_db();
    {
        store::Database db(path);
        RetainedState s(db);
        for (std::string t :
             {"luminaire/L1/state", "luminaire/GONE/state", "area/old/state", "meter/m9/state", "alarms"}) {
            s.set(t, "{}");
        }
        for (const auto& e : s.take_dirty()) s.published(e);
    }
    store::Database db(path);
    RetainedState s(db);
    config::Config c;
    config::Luminaire l;
    l.id = "L1";
    c.luminaires.push_back(l);
    auto stale = s.stale(c);
    CHECK(stale == std::vector<std::string>{"area/old/state", "luminaire/GONE/state", "meter/m9/state"});
    for (const auto& t : stale) s.clear(t);
    for (const auto& e : s.take_dirty()) {
        CHECK(e.second.empty());
        s.published(e);
    }
    CHECK(s.stale(c).empty());
    CHECK(s.size() == 0);
    std::filesystem::remove(path);
}

TEST_CASE("backoff doubles from 1 s to 60 s with jitter in the upper half") {
    Backoff b(std::chrono::seconds(1), std::chrono::seconds(60), 42);
    std::vector<long> ceilings{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
    for (long ceiling : ceilings) {
        auto d = b.next().count();
        CHECK(d >= ceiling / 2);
        CHECK(d <= ceiling);
    }
    b.reset();
    CHECK(b.next().count() <= 1000);
}

TEST_CASE(
    "backoff: the first delay after a lost connection is anywhere in [0, spread], then it doubles from min") {
    Backoff b(std::chrono::seconds(1), std::chrono::seconds(60), 7, std::chrono::seconds(5));
    long lowest = 5000, highest = 0;
    for (int i = 0; i < 200; ++i) {
        for (int k = 0; k < 3; ++k) b.next();  // wherever the doubling stood
        auto d = b.after_loss().count();
        CHECK(d >= 0);
        CHECK(d <= 5000);
        lowest = std::min(lowest, d);
        highest = std::max(highest, d);
        auto again = b.next().count();  // the attempt after that failed: the first step again
        CHECK(again >= 500);
        CHECK(again <= 1000);
    }
    // Spread over the whole window, not the upper half of one step.
    CHECK(lowest < 1000);
    CHECK(highest > 4000);
}
