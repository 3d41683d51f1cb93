// The pure part of the daemon's asset inventory: folding reads into a record
// and its JSON form (lyktactl's table and CSV of it: tests/unit/lyktactl).
#include <catch2/catch.hpp>

#include "gateway/luminaires/inventory_json.hpp"
#include "gateway/luminaires/inventory_record.hpp"

using namespace lykta;
using namespace lykta::luminaires;

namespace {

config::Luminaire pole() {
    config::Luminaire l;
    l.id = "L-7";
    l.bus = "bus1";
    l.address = 6;
    l.area = "torget";
    l.location = config::Location{56.43, 12.85, "Storgatan 3, norra", true};
    return l;
}

dali::GearInventory gear(std::uint64_t gtin, std::uint64_t serial) {
    dali::GearInventory g;
    g.address = 6;
    g.answered = true;
    g.last_bank = 1;
    g.gtin = gtin;
    g.firmware = 0x0102;
    g.identification = serial;
    return g;
}

SystemTime at(int s) {
    return SystemTime(std::chrono::seconds(1'790'000'000 + s));
}

}  // namespace

TEST_CASE("inventory fold: first read, same gear, a swap, and a gear that does not answer",
          "[luminaires][inventory]") {
    auto original = gear(4052899001015ULL, 0xF000000000000001ULL);
    dali::LuminaireData data;
    data.gtin = 7350012345006ULL;
    data.luminaire_id = 0x42;
    original.luminaire = data;

    auto first = fold_read(std::nullopt, pole(), original, at(0));
    CHECK(first.outcome == ReadOutcome::first);
    CHECK(first.event.is_null());
    CHECK(first.record.luminaire == "L-7");
    CHECK(first.record.address == 6);
    CHECK(first.record.location.street == "Storgatan 3, norra");
    CHECK(first.record.first.gtin == 4052899001015ULL);
    CHECK(first.record.first_read_at == at(0));
    CHECK(first.record.swaps == 0);

    // The same gear, but this time bank 1 and the firmware bytes went unanswered: nothing is lost.
    auto partial = gear(4052899001015ULL, 0xF000000000000001ULL);
    partial.firmware.reset();
    auto same = fold_read(first.record, pole(), partial, at(60));
    CHECK(same.outcome == ReadOutcome::same);
    CHECK(same.record.current.firmware == 0x0102);
    REQUIRE(same.record.current.luminaire);
    CHECK(same.record.current.luminaire->luminaire_id == 0x42u);
    CHECK(same.record.read_at == at(60));

    // Another driver at the luminaire's address.
    auto replacement = gear(8718699002022ULL, 0x77);
    auto swapped = fold_read(same.record, pole(), replacement, at(120));
    REQUIRE(swapped.outcome == ReadOutcome::mismatch);
    CHECK(swapped.record.swaps == 1);
    CHECK(swapped.record.changed_at == at(120));
    CHECK(swapped.record.current.gtin == 8718699002022ULL);
    CHECK_FALSE(swapped.record.current.luminaire);         // the old bank 1 belonged to the old gear
    CHECK(swapped.record.first.gtin == 4052899001015ULL);  // history stays
    const auto& e = swapped.event;
    CHECK(e["type"] == "inventory.mismatch");
    CHECK(e["luminaire"] == "L-7");
    CHECK(e["bus"] == "bus1");
    CHECK(e["address"] == 6);
    CHECK(e["location"]["street"] == "Storgatan 3, norra");
    CHECK(e["old"]["gtin"] == "4052899001015");
    CHECK(e["old"]["identification"] == "F000000000000001");
    CHECK(e["new"]["gtin"] == "8718699002022");
    CHECK(e["new"]["identification"] == "0000000000000077");
    CHECK(e["differences"].size() == 2);

    // Read again: the new gear is now the recorded one.
    CHECK(fold_read(swapped.record, pole(), replacement, at(180)).outcome == ReadOutcome::same);

    // Absent gear: the identity stays, the problem is told.
    dali::GearInventory silent;
    silent.address = 6;
    silent.problem = "short address 6: bank 0 not readable";
    auto gone = fold_read(swapped.record, pole(), silent, at(240));
    CHECK(gone.outcome == ReadOutcome::unreadable);
    CHECK(gone.record.current.gtin == 8718699002022ULL);
    CHECK(gone.record.read_at == at(120));
    CHECK(gone.record.attempted_at == at(240));
    CHECK(gone.record.problem == silent.problem);
    // ...and never read before: a record with the binding and the problem, no identity.
    auto never = fold_read(std::nullopt, pole(), silent, at(0));
    CHECK(never.outcome == ReadOutcome::unreadable);
    CHECK_FALSE(never.record.has_identity());
    CHECK(record_json(never.record)["gtin"].is_null());
    CHECK(record_json(never.record)["first"].is_null());
}

TEST_CASE("inventory fold: the binding follows the config", "[luminaires][inventory]") {
    auto first = fold_read(std::nullopt, pole(), gear(1, 2), at(0)).record;
    auto moved = pole();
    moved.address = 9;
    moved.area = "villa";
    moved.location = {};
    auto again = fold_read(first, moved, gear(1, 2), at(10));
    CHECK(again.outcome == ReadOutcome::same);
    CHECK(again.record.address == 9);
    CHECK(again.record.area == "villa");
    CHECK(record_json(again.record)["location"].is_null());
}

TEST_CASE("inventory json: record fields, unknowns null, bank 1 round trip", "[luminaires][inventory]") {
    auto g = gear(4052899001015ULL, 0xABCDEF0123456789ULL);
    dali::LuminaireData data;
    data.gtin = 7350012345006ULL;
    data.luminaire_id = 0xFFEE000000000001ULL;
    data.year = 2024;
    data.week = 37;
    data.nominal_power_w = 39;
    data.light_output_lm = 5200;
    g.luminaire = data;
    auto r = fold_read(std::nullopt, pole(), g, at(0)).record;
    const auto j = record_json(r);
    CHECK(j["gtin"] == "4052899001015");
    CHECK(j["identification"] == "ABCDEF0123456789");
    CHECK(j["firmware"] == "1.2");
    CHECK(j["first"]["gtin"] == "4052899001015");
    CHECK(j["first"]["read_at"] == "2026-09-21T14:13:20Z");
    CHECK(j["location"]["lat"] == 56.43);
    CHECK(j["luminaire_data"]["year"] == 2024);
    CHECK(j["luminaire_data"]["cct_k"].is_null());
    CHECK(j["problem"].is_null());
    CHECK(j["swaps"] == 0);
    CHECK(luminaire_data_from_json(j["luminaire_data"]) == data);
    CHECK(luminaire_data_from_json(nlohmann::json{{"gtin", true}, {"year", "x"}}) == dali::LuminaireData{});
}
