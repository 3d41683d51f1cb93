#include <catch2/catch.hpp>

#include <filesystem>
#include <optional>
#include <random>

#include "gateway/core/rfc3339.hpp"
#include "gateway/faults/fault_book.hpp"
#include "gateway/faults/fault_commands.hpp"
#include "gateway/faults/time_text.hpp"

using namespace lykta;
using namespace lykta::faults;
using namespace std::chrono_literals;

namespace {

struct Captured {
    std::vector<nlohmann::json> alarms;
    std::vector<nlohmann::json> events;
    FaultSink sink() {
        return {[this](nlohmann::json j) { alarms.push_back(std::move(j)); },
                [this](nlohmann::json j) { events.push_back(std::move(j)); }, nullptr, nullptr};
    }
};

FaultSettings immediate() {
    FaultSettings s;
    for (auto kind : all_kinds) s.debounce.set(kind, {1, 1});
    return s;
}

Observation obs(SystemTime t, FaultKind kind, const std::string& target, const std::string& area,
                bool active) {
    return {t, kind, target, area, active, active ? "detail of " + target : ""};
}

SystemTime t0() {
    return from_unix_seconds(1'795'000'000);
}

struct TempDb {
    std::filesystem::path path;
    TempDb() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("lykta-faults-" + std::to_string(rd()) + ".db");
    }
    ~TempDb() {
        for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    }
};

nlohmann::json call(const api::CommandHandler& handler, const nlohmann::json& args) {
    std::optional<nlohmann::json> answer;
    handler(args, api::Responder([&](nlohmann::json body) { answer = std::move(body); }));
    REQUIRE(answer);
    return *answer;
}

api::CommandHandler command(std::vector<std::pair<std::string, api::CommandHandler>>& list,
                            const std::string& p) {
    for (auto& [path, handler] : list)
        if (path == p) return handler;
    FAIL("no command " << p);
    return {};
}

}  // namespace

TEST_CASE("raise, acknowledge, clear: events, alarms and history", "[faults][book]") {
    store::Database db(":memory:");
    ManualClock clock(t0());
    Captured out;
    FaultBook book(db, clock, immediate(), out.sink());

    book.observe(obs(t0(), FaultKind::lamp_failure, "luminaire/L-1", "torget", true));
    REQUIRE(out.events.size() == 1);
    CHECK(out.events[0]["type"] == "fault.raised");
    auto fault = out.events[0]["fault"];
    CHECK(fault["kind"] == "lamp_failure");
    CHECK(fault["severity"] == "major");
    CHECK(fault["since"] == rfc3339_utc(t0()));
    CHECK(fault["acknowledged"] == false);
    std::string id = fault["id"];
    REQUIRE(out.alarms.size() == 1);
    CHECK(out.alarms.back()["active"].size() == 1);

    clock.advance(10min);
    auto ack = book.acknowledge(id, "Anna", "replacing lamp tomorrow");
    CHECK(ack.status == AckStatus::done);
    CHECK(out.events.back()["type"] == "fault.acknowledged");
    CHECK(out.events.back()["by"] == "Anna");
    CHECK(out.alarms.back()["active"][0]["acknowledged"] == true);
    CHECK(book.acknowledge(id, "Bo", "again").status == AckStatus::already);
    CHECK(book.acknowledge("F-999", "Bo", "").status == AckStatus::unknown);
    CHECK(book.acknowledge("garbage", "Bo", "").status == AckStatus::unknown);

    book.observe(obs(t0() + 1h, FaultKind::lamp_failure, "luminaire/L-1", "torget", false));
    CHECK(out.events.back()["type"] == "fault.cleared");
    CHECK(out.events.back()["cleared"] == rfc3339_utc(t0() + 1h));
    CHECK(out.alarms.back()["active"].empty());
    CHECK(book.acknowledge(id, "Bo", "").status == AckStatus::cleared);

    auto history = book.history("", 10);
    REQUIRE(history.size() == 1);
    CHECK(history[0].cleared_at == t0() + 1h);
    CHECK(history[0].acknowledged_by == "Anna");
    CHECK(history[0].note == "replacing lamp tomorrow");
}

TEST_CASE("alarms are sorted by severity, then since", "[faults][book]") {
    store::Database db(":memory:");
    ManualClock clock(t0());
    Captured out;
    FaultBook book(db, clock, immediate(), out.sink());
    book.observe(obs(t0(), FaultKind::door_open, "cabinet/io1", "a", true));
    book.observe(obs(t0() + 1s, FaultKind::lamp_failure, "luminaire/L-2", "a", true));
    book.observe(obs(t0() + 2s, FaultKind::bus_power, "bus/bus1", "", true));
    book.observe(obs(t0() - 5s, FaultKind::gear_failure, "luminaire/L-3", "a", true));
    auto active = book.alarms_payload()["active"];
    REQUIRE(active.size() == 4);
    CHECK(active[0]["kind"] == "bus_power");
    CHECK(active[0]["area"].is_null());
    CHECK(active[1]["kind"] == "gear_failure");
    CHECK(active[2]["kind"] == "lamp_failure");
    CHECK(active[3]["kind"] == "door_open");
    // exactly the API's fault fields
    CHECK(active[0].size() == 8);
}

TEST_CASE("a safety flag escalates faults in its area, and ending it de-escalates",
          "[faults][book][escalation]") {
    store::Database db(":memory:");
    ManualClock clock(t0());
    Captured out;
    FaultBook book(db, clock, immediate(), out.sink());
    book.observe(obs(t0(), FaultKind::lamp_failure, "luminaire/L-1", "park", true));
    book.observe(obs(t0(), FaultKind::door_open, "cabinet/io1", "torget", true));
    auto before = out.alarms.size();
    book.set_safety("park", true);
    REQUIRE(out.alarms.size() == before + 1);
    auto active = out.alarms.back()["active"];
    CHECK(active[0]["target"] == "luminaire/L-1");
    CHECK(active[0]["severity"] == "critical");
    CHECK(active[1]["severity"] == "minor");
    book.set_safety("park", true);  // no change, no publish
    CHECK(out.alarms.size() == before + 1);
    // a fault raised while the flag is on starts escalated
    book.observe(obs(t0() + 1min, FaultKind::door_open, "cabinet/io2", "park", true));
    CHECK(out.events.back()["fault"]["severity"] == "major");
    book.set_safety("park", false);
    active = out.alarms.back()["active"];
    CHECK(active[0]["severity"] == "major");
    for (const auto& f : active) CHECK(f["severity"] != "critical");
    book.set_safety("elsewhere", true);  // no fault there: nothing published
    CHECK(out.alarms.back() == book.alarms_payload());
}

TEST_CASE("an active fault survives a restart as the same fault", "[faults][book][persistence]") {
    TempDb file;
    std::string id;
    ManualClock clock(t0());
    FaultSettings settings;  // default debounce: lamp_failure 2/2
    {
        store::Database db(file.path.string());
        Captured out;
        FaultBook book(db, clock, settings, out.sink());
        book.observe(obs(t0(), FaultKind::lamp_failure, "luminaire/L-1", "a", true));
        book.observe(obs(t0() + 60s, FaultKind::lamp_failure, "luminaire/L-1", "a", true));
        book.observe(
            obs(t0() + 60s, FaultKind::door_open, "cabinet/io1", "a", true));  // only one: not raised
        REQUIRE(book.active().size() == 1);
        id = book.active()[0].id();
        book.acknowledge(id, "Anna", "on it");
    }
    clock.advance(1h);
    store::Database db(file.path.string());
    Captured out;
    FaultBook book(db, clock, settings, out.sink());
    auto active = book.active();
    REQUIRE(active.size() == 1);
    CHECK(active[0].id() == id);
    CHECK(active[0].since == t0() + 60s);
    CHECK(active[0].acknowledged_by == "Anna");
    // still active: no second raise
    book.observe(obs(clock.now(), FaultKind::lamp_failure, "luminaire/L-1", "a", true));
    book.observe(obs(clock.now(), FaultKind::lamp_failure, "luminaire/L-1", "a", true));
    CHECK(out.events.empty());
    // clearing needs the usual two confirmations
    book.observe(obs(clock.now(), FaultKind::lamp_failure, "luminaire/L-1", "a", false));
    CHECK(book.active().size() == 1);
    book.observe(obs(clock.now(), FaultKind::lamp_failure, "luminaire/L-1", "a", false));
    CHECK(book.active().empty());
    REQUIRE(out.events.size() == 1);
    CHECK(out.events[0]["fault"]["id"] == id);
}

TEST_CASE("history is pruned after the retention period", "[faults][book]") {
    store::Database db(":memory:");
    ManualClock clock(t0());
    auto settings = immediate();
    settings.history = std::chrono::hours(24 * 30);
    FaultBook book(db, clock, settings, {});
    book.observe(obs(t0(), FaultKind::lamp_failure, "luminaire/L-1", "a", true));
    book.observe(obs(t0() + 1h, FaultKind::lamp_failure, "luminaire/L-1", "a", false));
    book.observe(obs(t0(), FaultKind::lamp_failure, "luminaire/L-2", "a", true));  // stays active
    clock.advance(std::chrono::hours(24 * 29));
    CHECK(book.prune() == 0);
    clock.advance(std::chrono::hours(24 * 2));
    CHECK(book.prune() == 1);
    auto rest = book.history("", 10);
    REQUIRE(rest.size() == 1);
    CHECK(rest[0].target == "luminaire/L-2");
}

TEST_CASE("faults/list and faults/ack handlers", "[faults][commands]") {
    store::Database db(":memory:");
    ManualClock clock(t0());
    FaultBook book(db, clock, immediate(), {});
    config::Config cfg;
    cfg.areas.push_back({"torget", "Torget", "", "", {}, std::nullopt, std::nullopt});
    config::Luminaire lum;
    lum.id = "L-1";
    lum.bus = "bus1";
    lum.address = 7;
    lum.area = "torget";
    lum.location = {59.3, 18.0, "Storgatan 1", true};
    cfg.luminaires.push_back(lum);
    auto commands = fault_commands(book, [&cfg] { return &cfg; });
    auto list = command(commands, "faults/list");
    auto ack = command(commands, "faults/ack");

    book.observe(obs(t0(), FaultKind::lamp_failure, "luminaire/L-1", "torget", true));
    book.observe(obs(t0(), FaultKind::meter_offline, "meter/m1", "other", true));

    auto all = call(list, nlohmann::json::object());
    REQUIRE(all["status"] == "ok");
    CHECK(all["data"]["faults"].size() == 2);
    auto mine = call(list, {{"area", "torget"}});
    REQUIRE(mine["data"]["faults"].size() == 1);
    auto record = mine["data"]["faults"][0];
    CHECK(record["bus"] == "bus1");
    CHECK(record["address"] == 7);
    CHECK(record["location"]["street"] == "Storgatan 1");
    CHECK(record["cleared"].is_null());

    CHECK(call(list, {{"area", 5}})["error"]["field"] == "area");
    CHECK(call(list, {{"area", "nowhere"}})["error"]["code"] == "unknown_area");
    CHECK(call(list, {{"active_only", "yes"}})["error"]["code"] == "bad_request");
    CHECK(call(list, {{"active_only", false}, {"limit", 0}})["error"]["code"] == "out_of_range");

    auto missing = call(ack, {{"by", "Anna"}});
    CHECK(missing["error"]["code"] == "bad_request");
    CHECK(missing["error"]["field"] == "fault");
    CHECK(call(ack, {{"fault", 3}})["error"]["field"] == "fault");
    CHECK(call(ack, {{"fault", "F-1"}, {"note", 1}})["error"]["field"] == "note");
    CHECK(call(ack, {{"fault", "F-77"}})["error"]["code"] == "unknown_fault");
    auto done = call(ack, {{"fault", record["id"]}, {"by", "Anna"}, {"note", "ladder needed"}});
    REQUIRE(done["status"] == "ok");
    CHECK(done["data"]["fault"]["acknowledged"] == true);
    CHECK(done["data"]["fault"]["acknowledged_by"] == "Anna");
    CHECK(done["data"]["already_acknowledged"] == false);
    CHECK(call(ack, {{"fault", record["id"]}})["data"]["already_acknowledged"] == true);

    book.observe(obs(t0() + 1h, FaultKind::lamp_failure, "luminaire/L-1", "torget", false));
    CHECK(call(ack, {{"fault", record["id"]}})["error"]["code"] == "conflict");
    CHECK(call(list, nlohmann::json::object())["data"]["faults"].size() == 1);
    auto history = call(list, {{"active_only", false}});
    CHECK(history["data"]["faults"].size() == 2);

    auto report = call(command(commands, "faults/report"), nlohmann::json::object());
    REQUIRE(report["status"] == "ok");
    CHECK(report["data"]["luminaires"][0]["state"] == "ok");
    CHECK(report["data"]["areas"][0]["availability_pct"] == 100.0);
}
