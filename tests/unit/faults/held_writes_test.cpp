#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "gateway/faults/fault_book.hpp"
#include "gateway/faults/time_text.hpp"

using namespace lykta;
using namespace lykta::faults;
using namespace std::chrono_literals;

// The store refuses writes (PRAGMA query_only, as a read-only remount or a
// full disk does) while faults come and go: nothing may be lost.
namespace {

struct Rig {
    std::filesystem::path path;
    ManualClock clock{from_unix_seconds(1'795'000'000)};
    std::vector<nlohmann::json> alarms;
    std::vector<nlohmann::json> events;
    std::vector<std::string> raised, cleared;  // statistics sink, by id
    bool events_fail = false;                  // the event sink throws (an uplink gone wrong)
    std::unique_ptr<store::Database> db;
    std::unique_ptr<FaultBook> book;

    Rig() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("lykta-held-" + std::to_string(rd()) + ".db");
        db = std::make_unique<store::Database>(path.string());
        FaultSettings settings;
        for (auto kind : all_kinds) settings.debounce.set(kind, {1, 1});
        book = std::make_unique<FaultBook>(
            *db, clock, settings,
            FaultSink{[this](nlohmann::json j) { alarms.push_back(std::move(j)); },
                      [this](nlohmann::json j) {
                          if (events_fail) throw std::runtime_error("uplink refuses the event");
                          events.push_back(std::move(j));
                      },
                      [this](const Fault& f) { raised.push_back(f.id()); },
                      [this](const Fault& f) { cleared.push_back(f.id()); }});
    }
    ~Rig() {
        book.reset();
        db.reset();
        for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    }
    void lamp(const std::string& id, bool failed) {
        book->observe(Observation{clock.now(), FaultKind::lamp_failure, id, "torget", failed,
                                  failed ? "lamp failure bit set" : ""});
    }
    void break_store() { db->exec("PRAGMA query_only = 1"); }
    void mend_store() { db->exec("PRAGMA query_only = 0"); }
    std::vector<Fault> stored() {
        FaultStore rows(*db);
        return rows.history("", 100);
    }
};

std::vector<std::string> types(const std::vector<nlohmann::json>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e["type"]);
    return out;
}

}  // namespace

TEST_CASE("a lamp failure seen while the store fails is in P/alarms at once and stored after",
          "[faults][held]") {
    Rig rig;
    rig.break_store();
    rig.lamp("L1", true);

    // Shown now, under the id it will be stored as (the number after the one
    // storage_failure shows), but no event until it is stored.
    REQUIRE(rig.alarms.size() == 1);
    REQUIRE(rig.alarms.back()["active"].size() == 1);
    CHECK(rig.alarms.back()["active"][0]["target"] == "L1");
    CHECK(rig.alarms.back()["active"][0]["id"] == "F-2");
    CHECK(rig.events.empty());
    CHECK(rig.raised.empty());
    CHECK(rig.book->held() == 1);

    // Still failing: the debounce keeps it raised, nothing is repeated.
    rig.clock.advance(60s);
    rig.lamp("L1", true);
    CHECK(rig.book->retry_held() == 1);
    CHECK(rig.events.empty());
    CHECK(rig.book->active().size() == 1);

    rig.mend_store();
    CHECK(rig.book->retry_held() == 0);
    auto rows = rig.stored();
    REQUIRE(rows.size() == 1);  // no duplicate
    CHECK(rows[0].target == "L1");
    CHECK(rows[0].active());
    CHECK(rows[0].since == from_unix_seconds(1'795'000'000));
    REQUIRE(types(rig.events) == std::vector<std::string>{"fault.raised"});
    CHECK(rig.events[0]["fault"]["id"] == rows[0].id());
    CHECK(rig.events[0]["ts"] == rig.events[0]["fault"]["since"]);  // when it happened, not when sent
    CHECK(rig.raised == std::vector<std::string>{rows[0].id()});
    // Nobody else took F-1 here, so the shown id changed: P/alarms follows the store.
    CHECK(rig.alarms.back()["active"][0]["id"] == rows[0].id());
    CHECK(rig.book->active()[0].number == rows[0].number);

    // Further observations do not raise it again.
    rig.lamp("L1", true);
    CHECK(rig.events.size() == 1);
    CHECK(rig.stored().size() == 1);
}

TEST_CASE("raise, acknowledge and clear during the failure reach the store and the uplink in order",
          "[faults][held]") {
    Rig rig;
    rig.lamp("L0", true);  // stored before the failure
    REQUIRE(rig.events.size() == 1);
    rig.break_store();

    rig.lamp("L1", true);
    auto shown = rig.book->active();
    REQUIRE(shown.size() == 2);
    auto l1 = std::find_if(shown.begin(), shown.end(), [](const Fault& f) { return f.target == "L1"; });
    REQUIRE(l1 != shown.end());
    auto ack = rig.book->acknowledge(l1->id(), "crew 7", "on our way");
    CHECK(ack.status == AckStatus::done);
    rig.clock.advance(120s);
    rig.lamp("L0", false);  // a stored fault clears while the store fails
    rig.lamp("L1", false);
    CHECK(rig.book->active().empty());
    CHECK(rig.book->held() == 4);
    CHECK(rig.events.size() == 1);

    rig.mend_store();
    CHECK(rig.book->retry_held() == 0);
    CHECK(types(rig.events) == std::vector<std::string>{"fault.raised", "fault.raised", "fault.acknowledged",
                                                        "fault.cleared", "fault.cleared"});
    auto rows = rig.stored();
    REQUIRE(rows.size() == 2);
    for (const auto& f : rows) {
        CHECK_FALSE(f.active());
        CHECK(*f.cleared_at == rig.clock.now());
    }
    auto stored_l1 = rows[0].target == "L1" ? rows[0] : rows[1];
    CHECK(stored_l1.acknowledged_by == "crew 7");
    CHECK(stored_l1.note == "on our way");
    for (std::size_t i = 1; i < rig.events.size(); ++i)
        if (rig.events[i]["fault"]["target"] == "L1") CHECK(rig.events[i]["fault"]["id"] == stored_l1.id());
    CHECK(rig.cleared.size() == 2);
}

TEST_CASE("writes after a held one wait behind it, so the store never sees them out of order",
          "[faults][held]") {
    Rig rig;
    rig.break_store();
    rig.lamp("L1", true);
    rig.mend_store();
    // The store works again but the held raise was not retried yet: the next
    // change queues behind it instead of racing ahead.
    rig.lamp("L2", true);
    CHECK(rig.events.empty());
    CHECK(rig.book->held() == 2);
    CHECK(rig.book->retry_held() == 0);
    REQUIRE(rig.events.size() == 2);
    CHECK(rig.events[0]["fault"]["target"] == "L1");
    CHECK(rig.events[1]["fault"]["target"] == "L2");
    CHECK(rig.stored().size() == 2);
}

TEST_CASE("a held write is made once even when sending its event throws", "[faults][held]") {
    Rig rig;
    rig.break_store();
    rig.lamp("L1", true);
    rig.lamp("L2", true);
    rig.mend_store();
    rig.events_fail = true;
    CHECK_THROWS_AS(rig.book->retry_held(), std::runtime_error);
    CHECK(rig.book->held() == 1);  // L1 is written; only L2 still waits
    rig.events_fail = false;
    CHECK(rig.book->retry_held() == 0);
    auto rows = rig.stored();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].target != rows[1].target);
    REQUIRE(rig.events.size() == 1);
    CHECK(rig.events[0]["fault"]["target"] == "L2");
}
