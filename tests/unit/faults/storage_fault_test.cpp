#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "gateway/core/manual_timers.hpp"
#include "gateway/faults/faults_feature.hpp"
#include "tests/unit/support/recording_uplink.hpp"

using namespace lykta;
using namespace std::chrono_literals;

namespace {

std::vector<nlohmann::json> storage_alarms(const nlohmann::json& alarms) {
    std::vector<nlohmann::json> out;
    for (const auto& f : alarms["active"])
        if (f["kind"] == "storage_failure") out.push_back(f);
    return out;
}

// An uplink whose events go through the store first, as the real outbox's do:
// while the store fails, publish_event loses the event (and the Link logs it).
class OutboxUplink final : public Uplink {
public:
    explicit OutboxUplink(store::Database& db) : db_(db) {
        db_.exec("CREATE TABLE IF NOT EXISTS outbox (payload TEXT NOT NULL)");
    }
    void publish_state(const std::string& subtopic, nlohmann::json payload) override {
        states[subtopic] = std::move(payload);
    }
    void clear_state(const std::string&) override {}
    void publish_event(nlohmann::json event) override {
        try {
            auto st = db_.prepare("INSERT INTO outbox(payload) VALUES (?)");
            st.bind_all(event.dump());
            st.step();
        } catch (const store::StoreError&) {
            return;
        }
        events.push_back(std::move(event));
    }
    void publish_telemetry(nlohmann::json) override {}
    void add_command(const std::string& path, api::CommandHandler handler) override {
        commands[path] = std::move(handler);
    }
    void add_heartbeat_source(const std::string&, std::function<nlohmann::json()>) override {}
    void add_info_source(const std::string&, std::function<nlohmann::json()>) override {}

    std::map<std::string, nlohmann::json> states;
    std::vector<nlohmann::json> events;
    std::map<std::string, api::CommandHandler> commands;

private:
    store::Database& db_;
};

struct Rig {
    std::filesystem::path path;
    config::Config config;
    ManualClock clock{SystemTime{} + 1'795'000'000s};
    ManualTimers timers{clock};
    std::unique_ptr<store::Database> db;
    std::unique_ptr<OutboxUplink> uplink;
    std::unique_ptr<faults::FaultsFeature> feature;

    Rig() {
        std::random_device rd;
        path =
            std::filesystem::temp_directory_path() / ("lykta-storage-fault-" + std::to_string(rd()) + ".db");
        config.gateway.id = "gw1";
        config.site.timezone = "Europe/Stockholm";
        config.dali.buses.push_back({"bus1", {}, 60, 900});
        config.luminaires.push_back({"L-1", "bus1", 0, "torget", 40, {}});
        config.areas.push_back({"torget", "Torget", "centrum", "", {}, {}, {}});
        db = std::make_unique<store::Database>(path.string());
        uplink = std::make_unique<OutboxUplink>(*db);
        feature = std::make_unique<faults::FaultsFeature>(timers, config, *uplink, *db, clock);
        db->set_failure_listener([f = feature.get()](const std::string& what) { f->on_store_failure(what); });
        feature->start();
    }
    ~Rig() {
        db->set_failure_listener(nullptr);
        feature->stop();
        feature.reset();
        uplink.reset();
        db.reset();
        for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    }
    // The medium refuses writes (as a read-only remount does), then a write fails somewhere.
    void break_store() {
        db->exec("PRAGMA query_only = 1");
        CHECK_THROWS_AS(db->put("somebody.else", "x"), store::StoreError);
        clock.advance(0s);  // the deferred raise, on the next loop turn
    }
    // One DALI sweep a minute later: L-1 answers at 100 %, its lamp failure bit as given.
    void sweep(bool lamp_failure) {
        clock.advance(60s);
        dali::GearStatus gear;
        gear.address = 0;
        gear.available = true;
        gear.percent = 100;
        gear.lamp_failure = lamp_failure;
        feature->on_sweep(luminaires::make_sweep(config, config.dali.buses[0], {gear}, true));
    }
    nlohmann::json faults_list() {
        nlohmann::json answer;
        uplink->commands.at("faults/list")(
            {{"active_only", false}}, api::Responder([&](nlohmann::json body) { answer = std::move(body); }));
        return answer;
    }
};

}  // namespace

TEST_CASE("a failing store raises a critical storage_failure in P/alarms, held in memory") {
    Rig rig;
    CHECK(storage_alarms(rig.uplink->states.at("alarms")).empty());
    rig.break_store();
    auto shown = storage_alarms(rig.uplink->states.at("alarms"));
    REQUIRE(shown.size() == 1);
    CHECK(shown[0]["id"] == "F-1");
    CHECK(shown[0]["severity"] == "critical");
    CHECK(shown[0]["target"] == "store");
    CHECK(shown[0]["area"].is_null());
    CHECK(shown[0]["detail"].get<std::string>().find("readonly") != std::string::npos);
    CHECK(rig.uplink->events.empty());  // fault.raised could not be stored either: held back

    // More failures while it is active: the same fault, no second one.
    CHECK_THROWS(rig.db->put("again", "x"));
    rig.clock.advance(0s);
    CHECK(storage_alarms(rig.uplink->states.at("alarms")).size() == 1);
    CHECK_FALSE(rig.feature->storage().probe());
    CHECK(rig.feature->storage().fault());
}

TEST_CASE("once writes work the fault is stored cleared and both events go out in order") {
    Rig rig;
    rig.break_store();
    rig.clock.advance(90s);
    rig.db->exec("PRAGMA query_only = 0");
    REQUIRE(rig.feature->storage().probe());

    CHECK_FALSE(rig.feature->storage().fault());
    CHECK(storage_alarms(rig.uplink->states.at("alarms")).empty());
    REQUIRE(rig.uplink->events.size() == 2);
    CHECK(rig.uplink->events[0]["type"] == "fault.raised");
    CHECK(rig.uplink->events[1]["type"] == "fault.cleared");
    CHECK(rig.uplink->events[0]["fault"]["id"] == "F-1");
    CHECK(rig.uplink->events[1]["fault"]["id"] == "F-1");
    CHECK(rig.uplink->events[0]["ts"] == rig.uplink->events[0]["fault"]["since"]);
    CHECK(rig.uplink->events[1]["cleared"] != rig.uplink->events[0]["fault"]["since"]);

    auto list = rig.faults_list();
    REQUIRE(list["status"] == "ok");
    REQUIRE(list["data"]["faults"].size() == 1);
    CHECK(list["data"]["faults"][0]["kind"] == "storage_failure");
    CHECK_FALSE(list["data"]["faults"][0]["cleared"].is_null());
    CHECK(rig.feature->book().active().empty());  // stored cleared: a restart restores nothing
}

TEST_CASE("the probe timer clears the fault by itself") {
    Rig rig;
    rig.break_store();
    rig.clock.advance(faults::StorageFault::probe_period * 3);
    CHECK(rig.feature->storage().fault());  // probed every period: still failing
    rig.db->exec("PRAGMA query_only = 0");
    rig.clock.advance(faults::StorageFault::probe_period - 1ms);
    CHECK(rig.feature->storage().fault());  // not before the next probe
    rig.clock.advance(1ms);
    CHECK_FALSE(rig.feature->storage().fault());
    CHECK(rig.timers.pending() == 2);  // the flush and prune jobs only: probing is over
}

TEST_CASE("a fault.raised the outbox took while other writes failed is not sent twice") {
    Rig rig;
    rig.feature->on_store_failure("disk full somewhere else");  // the outbox still takes events
    CHECK(rig.uplink->events.empty());                          // not from inside the failing call
    rig.clock.advance(0s);
    REQUIRE(rig.uplink->events.size() == 1);
    CHECK(rig.uplink->events[0]["type"] == "fault.raised");
    REQUIRE(rig.feature->storage().probe());
    REQUIRE(rig.uplink->events.size() == 2);
    CHECK(rig.uplink->events[1]["type"] == "fault.cleared");
}

TEST_CASE("a lamp failure seen while the store fails is shown at once and stored once it recovers") {
    Rig rig;
    rig.break_store();
    for (int i = 0; i < 3; ++i) rig.sweep(true);  // past the lamp_failure debounce, then once more

    // P/alarms: the storage failure and the lamp, each under its own id.
    const auto& shown = rig.uplink->states.at("alarms")["active"];
    REQUIRE(shown.size() == 2);
    std::map<std::string, std::string> ids;
    for (const auto& f : shown) ids[f["kind"]] = f["id"];
    CHECK(ids.at("storage_failure") == "F-1");
    CHECK(ids.at("lamp_failure") == "F-2");
    CHECK(rig.uplink->events.empty());
    CHECK(rig.feature->book().held() == 1);

    rig.db->exec("PRAGMA query_only = 0");
    REQUIRE(rig.feature->storage().probe());  // stores storage_failure, then the held lamp failure

    CHECK(rig.feature->book().held() == 0);
    std::vector<std::string> sent;
    for (const auto& e : rig.uplink->events)
        sent.push_back(e["type"].get<std::string>() + " " + e["fault"]["kind"].get<std::string>() + " " +
                       e["fault"]["id"].get<std::string>());
    CHECK(sent == std::vector<std::string>{"fault.raised storage_failure F-1",
                                           "fault.cleared storage_failure F-1",
                                           "fault.raised lamp_failure F-2"});
    const auto& after = rig.uplink->states.at("alarms")["active"];
    REQUIRE(after.size() == 1);
    CHECK(after[0]["id"] == "F-2");
    CHECK(after[0]["target"] == "luminaire/L-1");

    auto list = rig.faults_list();
    REQUIRE(list["status"] == "ok");
    int lamps = 0;
    for (const auto& f : list["data"]["faults"])
        if (f["kind"] == "lamp_failure") {
            ++lamps;
            CHECK(f["id"] == "F-2");
            CHECK(f["cleared"].is_null());
        }
    CHECK(lamps == 1);  // no duplicate

    // Later sweeps keep it raised without a second fault or event.
    rig.sweep(true);
    CHECK(rig.uplink->events.size() == 3);
    CHECK(rig.feature->book().active().size() == 1);
}
