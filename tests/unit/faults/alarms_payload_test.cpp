#include <catch2/catch.hpp>

#include <algorithm>

#include "gateway/faults/alarms_payload.hpp"
#include "gateway/faults/fault_book.hpp"
#include "gateway/faults/time_text.hpp"

using namespace lykta;
using namespace lykta::faults;

namespace {

// n faults of mixed kinds (so mixed severities), in P/alarms order.
std::vector<Fault> storm(int n) {
    std::vector<Fault> out;
    const FaultKind kinds[] = {FaultKind::day_burner, FaultKind::lamp_failure, FaultKind::night_outage};
    for (int i = 0; i < n; ++i) {
        Fault f;
        f.number = i + 1;
        f.kind = kinds[i % 3];
        f.severity = base_severity(f.kind);
        f.target = "luminaire/L-" + std::to_string(i);
        f.area = "torget";
        f.detail = "detail of fault " + std::to_string(i);
        f.since = from_unix_seconds(1'795'000'000 + i);
        out.push_back(std::move(f));
    }
    std::sort(out.begin(), out.end(), alarm_order);
    return out;
}

const std::string ts = "2026-11-25T07:00:00Z";

}  // namespace

TEST_CASE("P/alarms without a cap lists every fault", "[faults][alarms]") {
    auto faults = storm(50);
    auto p = alarms_payload(faults, ts, 0);
    CHECK(p["active"].size() == 50);
    CHECK(p["total"] == 50);
    CHECK(p["truncated"] == false);
    CHECK(p["ts"] == ts);
}

TEST_CASE("P/alarms is cut to the cap, most severe first, and says so", "[faults][alarms]") {
    auto faults = storm(300);
    for (std::size_t cap : {1024u, 4096u, 10000u}) {
        INFO("cap " << cap);
        auto p = alarms_payload(faults, ts, cap);
        CHECK(wire_size(p) <= cap);
        CHECK(p["total"] == 300);
        CHECK(p["truncated"] == true);
        const auto n = p["active"].size();
        REQUIRE(n > 0);
        REQUIRE(n < 300);
        for (std::size_t i = 0; i < n; ++i) CHECK(p["active"][i]["id"] == faults[i].id());
        CHECK(p["active"][0]["severity"] == "critical");
        // Exactly the longest prefix: one more fault would not have fitted.
        CHECK(wire_size(p) + 1 + wire_size(fault_json(faults[n])) > cap);
    }
}

TEST_CASE("P/alarms under the cap is complete and not truncated", "[faults][alarms]") {
    auto faults = storm(3);
    auto full = alarms_payload(faults, ts, 0);
    auto exact = wire_size(full);
    auto p = alarms_payload(faults, ts, exact);
    CHECK(p["active"].size() == 3);
    CHECK(p["truncated"] == false);
    CHECK(wire_size(p) <= exact);
    // One byte short of the complete list: "truncated":true is a byte shorter
    // than false, but the complete list must not be sent one byte over.
    auto q = alarms_payload(faults, ts, exact - 1);
    CHECK(q["active"].size() == 2);
    CHECK(wire_size(q) <= exact - 1);
    auto r = alarms_payload(faults, ts, exact - 2);
    CHECK(r["active"].size() == 2);
    CHECK(r["truncated"] == true);
    CHECK(wire_size(r) <= exact - 2);
}

TEST_CASE("the fault book publishes a capped P/alarms", "[faults][alarms][book]") {
    store::Database db(":memory:");
    ManualClock clock(from_unix_seconds(1'795'000'000));
    std::vector<nlohmann::json> alarms;
    FaultSettings s;
    s.alarms_max_bytes = 2048;
    s.debounce.set(FaultKind::lamp_failure, {1, 1});
    s.debounce.set(FaultKind::night_outage, {1, 1});
    FaultBook book(db, clock, s, {[&](nlohmann::json a) { alarms.push_back(a); }, nullptr, nullptr, nullptr});
    for (int i = 0; i < 100; ++i)
        book.observe({clock.now(), i % 10 ? FaultKind::lamp_failure : FaultKind::night_outage,
                      "luminaire/L-" + std::to_string(i), "torget", true, "a long enough detail text"});
    for (const auto& a : alarms) CHECK(wire_size(a) <= 2048);
    const auto& last = alarms.back();
    CHECK(last["total"] == 100);
    CHECK(last["truncated"] == true);
    // The ten critical night outages fit and come first.
    REQUIRE(last["active"].size() >= 10);
    for (int i = 0; i < 10; ++i) CHECK(last["active"][i]["kind"] == "night_outage");
    CHECK(book.active().size() == 100);  // the cap is on the message, not the book
}

TEST_CASE("a batch of observations republishes P/alarms once", "[faults][alarms][book]") {
    store::Database db(":memory:");
    ManualClock clock(from_unix_seconds(1'795'000'000));
    std::vector<nlohmann::json> alarms, events;
    FaultSettings s;
    s.debounce.set(FaultKind::no_answer, {1, 1});
    FaultBook book(db, clock, s,
                   {[&](nlohmann::json a) { alarms.push_back(a); },
                    [&](nlohmann::json e) { events.push_back(e); }, nullptr, nullptr});
    std::vector<Observation> sweep;
    for (int i = 0; i < 64; ++i)
        sweep.push_back(
            {clock.now(), FaultKind::no_answer, "luminaire/L-" + std::to_string(i), "torget", true, ""});
    book.observe(sweep);
    CHECK(events.size() == 64);  // every fault has its event
    REQUIRE(alarms.size() == 1);
    CHECK(alarms[0]["active"].size() == 64);

    {  // nested batches publish once, at the end of the outermost
        FaultBook::Batch outer(book);
        book.set_safety("torget", true);
        book.observe(std::vector<Observation>{
            {clock.now(), FaultKind::no_answer, "luminaire/L-0", "torget", false, ""}});
        CHECK(alarms.size() == 1);
    }
    REQUIRE(alarms.size() == 2);
    CHECK(alarms[1]["total"] == 63);
    CHECK(alarms[1]["active"][0]["severity"] == "critical");  // major, escalated

    {  // a batch without changes publishes nothing
        FaultBook::Batch quiet(book);
        book.observe(std::vector<Observation>{
            {clock.now(), FaultKind::no_answer, "luminaire/L-1", "torget", true, ""}});
    }
    CHECK(alarms.size() == 2);
    // Outside a batch every change publishes at once.
    book.observe({clock.now(), FaultKind::no_answer, "luminaire/L-1", "torget", false, ""});
    CHECK(alarms.size() == 3);
}

TEST_CASE("a failing P/alarms publish at the end of a batch propagates, but not while unwinding",
          "[faults][alarms][book]") {
    store::Database db(":memory:");
    ManualClock clock(from_unix_seconds(1'795'000'000));
    bool fail = true;
    int published = 0;
    FaultSettings s;
    s.debounce.set(FaultKind::no_answer, {1, 1});
    FaultBook book(db, clock, s,
                   {[&](nlohmann::json) {
                        if (fail) throw std::runtime_error("disk full");
                        ++published;
                    },
                    nullptr, nullptr, nullptr});
    std::vector<Observation> sweep{{clock.now(), FaultKind::no_answer, "luminaire/L-1", "torget", true, ""}};
    CHECK_THROWS_WITH(book.observe(sweep), "disk full");
    CHECK(book.active().size() == 1);  // the fault is in the book whatever the publish did

    // An exception unwinding through a batch is not replaced by the publish's.
    auto unwinding = [&] {
        FaultBook::Batch batch(book);
        book.observe({clock.now(), FaultKind::no_answer, "luminaire/L-2", "torget", true, ""});
        throw std::logic_error("sweep failed");
    };
    CHECK_THROWS_AS(unwinding(), std::logic_error);
    fail = false;
    book.observe({clock.now(), FaultKind::no_answer, "luminaire/L-3", "torget", true, ""});
    CHECK(published == 1);
    CHECK(book.alarms_payload()["total"] == 3);
}
