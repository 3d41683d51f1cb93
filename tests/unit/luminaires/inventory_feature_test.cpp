// The inventory feature in-process: LuminairesFeature over the real Foxtron
// transport to an in-process simulator on loopback TCP, an in-memory store and
// a recording Uplink instead of MQTT.
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>

#include "gateway/luminaires/inventory_feature.hpp"
#include "lykta-sim/dali/foxtron_server.hpp"
#include "tests/unit/support/recording_uplink.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta;
using namespace std::chrono_literals;

namespace {
using test::RecordingUplink;
using test::run_until;

struct Rig {
    asio::io_context io;
    dali::SimBus sim;
    dali::FoxtronServer server{io, sim, {}};
    config::Config config;
    RecordingUplink uplink;
    ManualClock clock{SystemTime(std::chrono::seconds(1'790'000'000))};
    ManualTimers timers{clock};
    store::Database db{":memory:"};
    std::unique_ptr<luminaires::LuminairesFeature> lum;
    std::unique_ptr<luminaires::InventoryFeature> inventory;

    explicit Rig(int gear) {
        sim.add_gear(gear, true);
        for (int a = 0; a < gear; ++a) {
            sim.gear_at(a)->gtin = 4052899001015ULL;
            sim.gear_at(a)->serial = 0x100 + static_cast<std::uint64_t>(a);
        }
        config::DaliBus bus;
        bus.id = "bus1";
        bus.interface.protocol = "foxtron";
        bus.interface.host = "127.0.0.1";
        bus.interface.port = server.listen_tcp("127.0.0.1", 0);
        config.dali.buses.push_back(bus);
        config.areas.push_back(config::Area{"torget", "Torget", "p", "", {}, std::nullopt, std::nullopt});
        config.schedule.profiles.push_back(
            config::Profile{"p", {config::ProfileStep{{}, 30, 0}}, std::nullopt});
        for (int a = 0; a < gear + 1; ++a) {  // one more than on the bus: never answers
            config::Luminaire l;
            l.id = "L-" + std::to_string(a);
            l.bus = "bus1";
            l.address = a;
            l.area = "torget";
            l.location = config::Location{56.4 + a / 1000.0, 12.8, "Torget " + std::to_string(a), true};
            config.luminaires.push_back(l);
        }
        lum = std::make_unique<luminaires::LuminairesFeature>(io, timers, config, uplink, clock);
        inventory = std::make_unique<luminaires::InventoryFeature>(config, *lum, uplink, db, clock);
    }
    ~Rig() {
        inventory->stop();
        lum->stop();
    }
    nlohmann::json call(const std::string& command, nlohmann::json args) {
        std::optional<nlohmann::json> answer;
        uplink.commands.at(command)(args, api::Responder([&](nlohmann::json b) { answer = std::move(b); }));
        REQUIRE(run_until(io, clock, timers, [&] { return answer.has_value(); }));
        return *answer;
    }
};

}  // namespace

TEST_CASE("inventory feature: read when the bus is ready, on request, and a swap becomes an event",
          "[luminaires][inventory]") {
    Rig rig(2);
    REQUIRE(rig.uplink.commands.count("inventory/get"));
    REQUIRE(rig.uplink.commands.count("inventory/read"));
    rig.lum->start();
    rig.inventory->start();
    // The first answering sweep makes the bus ready: the answering gear get read.
    REQUIRE(
        run_until(rig.io, rig.clock, rig.timers, [&] { return rig.inventory->record("L-1").has_value(); }));
    CHECK(rig.inventory->record("L-1")->current.identification == 0x101u);
    CHECK(rig.inventory->record("L-0")->current.identification == 0x100u);
    CHECK_FALSE(rig.inventory->record("L-2"));  // absent gear cost no frames

    auto got = rig.call("inventory/get", {{"area", "torget"}});
    REQUIRE(got["status"] == "ok");
    const auto& list = got["data"]["inventory"];
    REQUIRE(list.size() == 3);
    CHECK(list[0]["luminaire"] == "L-0");
    CHECK(list[0]["gtin"] == "4052899001015");
    CHECK(list[0]["identification"] == "0000000000000100");
    CHECK(list[0]["location"]["street"] == "Torget 0");
    CHECK(list[0]["first"]["read_at"] == "2026-09-21T14:13:20Z");
    CHECK(list[2]["luminaire"] == "L-2");
    CHECK(list[2]["gtin"].is_null());
    CHECK(list[2]["read_at"].is_null());

    // The crew replaces L-1's driver; an operator asks for a read.
    rig.sim.gear_at(1)->serial = 0x999;
    rig.clock.advance(1h);
    auto read = rig.call("inventory/read", nlohmann::json::object());
    REQUIRE(read["status"] == "ok");
    CHECK(read["data"]["read"] == 3);
    CHECK(read["data"]["mismatches"] == 1);
    CHECK(read["data"]["unreadable"] == 1);
    CHECK(read["data"]["results"][0]["result"] == "same");
    CHECK(read["data"]["results"][1]["result"] == "mismatch");
    CHECK(read["data"]["results"][1]["identification"] == "0000000000000999");
    CHECK(read["data"]["results"][2]["result"] == "unreadable");
    CHECK(read["data"]["results"][2]["problem"].get<std::string>().find("not readable") != std::string::npos);
    std::vector<nlohmann::json> mismatches;
    for (const auto& e : rig.uplink.events)
        if (e["type"] == "inventory.mismatch") mismatches.push_back(e);
    REQUIRE(mismatches.size() == 1);
    CHECK(mismatches[0]["luminaire"] == "L-1");
    CHECK(mismatches[0]["old"]["identification"] == "0000000000000101");
    CHECK(mismatches[0]["new"]["identification"] == "0000000000000999");
    CHECK(mismatches[0]["location"]["street"] == "Torget 1");

    // Recorded: what the store holds now is the new gear, with the first one kept.
    luminaires::InventoryStore reopened(rig.db);
    const auto stored = reopened.load();
    CHECK(stored.at("L-1").current.identification == 0x999u);
    CHECK(stored.at("L-1").first.identification == 0x101u);
    CHECK(stored.at("L-1").swaps == 1);
    CHECK(stored.at("L-2").problem.find("not readable") != std::string::npos);

    // A read of just that luminaire again: the same gear, no new event.
    auto again = rig.call("inventory/read", {{"luminaire", "L-1"}});
    CHECK(again["data"]["read"] == 1);
    CHECK(again["data"]["results"][0]["result"] == "same");
    CHECK(rig.uplink.events.size() == mismatches.size());
}

TEST_CASE("inventory feature: commissioning makes the bus ready, so its gear are read again",
          "[luminaires][inventory]") {
    Rig rig(2);
    rig.lum->start();
    REQUIRE(
        run_until(rig.io, rig.clock, rig.timers, [&] { return rig.inventory->record("L-1").has_value(); }));
    const auto first_read = *rig.inventory->record("L-1")->read_at;
    // The installer put a new driver in and commissions the bus from lyktactl.
    rig.sim.gear_at(1)->gtin = 8718699002022ULL;
    rig.clock.advance(1h);
    auto report = rig.call("dali/commission", {{"bus", "bus1"}});
    REQUIRE(report["status"] == "ok");
    REQUIRE(run_until(rig.io, rig.clock, rig.timers,
                      [&] { return rig.inventory->record("L-1")->read_at != first_read; }));
    const auto r = *rig.inventory->record("L-1");
    CHECK(r.current.gtin == 8718699002022ULL);
    CHECK(r.first.gtin == 4052899001015ULL);
    CHECK(r.swaps == 1);
    REQUIRE_FALSE(rig.uplink.events.empty());
    CHECK(rig.uplink.events.back()["type"] == "inventory.mismatch");
}

TEST_CASE("inventory feature: bad requests are answered and change nothing", "[luminaires][inventory]") {
    Rig rig(1);
    auto error_of = [&](const std::string& command, nlohmann::json args) {
        auto answer = rig.call(command, std::move(args));
        CHECK(answer["status"] == "error");
        return answer["error"];
    };
    CHECK(error_of("inventory/get", {{"luminaire", "nope"}})["code"] == "unknown_luminaire");
    CHECK(error_of("inventory/read", {{"area", "nowhere"}})["code"] == "unknown_area");
    CHECK(error_of("inventory/read", {{"bus", "bus9"}})["field"] == "bus");
    CHECK(error_of("inventory/get", {{"area", 7}})["code"] == "bad_request");
    CHECK_FALSE(rig.inventory->record("L-0"));
}

TEST_CASE("inventory feature: inventory/get pages its answer under mqtt.max_payload",
          "[luminaires][inventory]") {
    Rig rig(40);
    rig.config.mqtt.max_payload = 4096;  // about 8 records of the ~450 bytes each here
    rig.lum->start();
    rig.inventory->start();
    REQUIRE(run_until(
        rig.io, rig.clock, rig.timers, [&] { return rig.inventory->record("L-39").has_value(); }, 30s));

    std::vector<std::string> seen;
    std::size_t pages = 0;
    nlohmann::json offset = 0;
    while (!offset.is_null()) {
        auto got = rig.call("inventory/get", {{"offset", offset}});
        REQUIRE(got["status"] == "ok");
        const auto& data = got["data"];
        CHECK(data["total"] == 41);
        CHECK(data["offset"] == offset);
        CHECK(got.dump().size() <= 4096);
        REQUIRE_FALSE(data["inventory"].empty());
        for (const auto& r : data["inventory"]) seen.push_back(r["luminaire"].get<std::string>());
        offset = data["next_offset"];
        if (!offset.is_null()) CHECK(offset.get<std::size_t>() == seen.size());
        REQUIRE(++pages < 41);
    }
    CHECK(pages > 2);
    REQUIRE(seen.size() == 41);  // every configured luminaire once, in config order
    for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == "L-" + std::to_string(i));

    auto limited = rig.call("inventory/get", {{"offset", 5}, {"limit", 2}});
    REQUIRE(limited["data"]["inventory"].size() == 2);
    CHECK(limited["data"]["inventory"][0]["luminaire"] == "L-5");
    CHECK(limited["data"]["next_offset"] == 7);
    auto past = rig.call("inventory/get", {{"offset", 100}});
    CHECK(past["data"]["inventory"].empty());
    CHECK(past["data"]["next_offset"].is_null());
    for (const auto& bad :
         {nlohmann::json{{"offset", -1}}, nlohmann::json{{"limit", 0}}, nlohmann::json{{"offset", "3"}}}) {
        auto e = rig.call("inventory/get", bad);
        CHECK(e["status"] == "error");
        CHECK(e["error"]["field"].is_string());
    }
}
