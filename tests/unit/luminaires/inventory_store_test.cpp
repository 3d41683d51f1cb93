// The inventory table in SQLite: what is saved comes back, including 64-bit
// serials and absent values.
#include <catch2/catch.hpp>

#include "gateway/luminaires/inventory_store.hpp"

using namespace lykta;
using namespace lykta::luminaires;

TEST_CASE("inventory store: records survive a reopen", "[luminaires][inventory]") {
    store::Database db(":memory:");
    InventoryRecord r;
    r.luminaire = "L-1";
    r.bus = "bus2";
    r.address = 63;
    r.area = "villa";
    r.location = config::Location{65.58, 22.15, "Kyrkgatan \"12\"", true};
    r.first.answered = true;
    r.first.gtin = 4052899001015ULL;
    r.first.identification = 0xFFFFFFFFFFFFFFFEULL;  // above INT64_MAX
    r.first.firmware = 0x0203;
    r.first_read_at = SystemTime(std::chrono::seconds(1'700'000'000));
    r.current = r.first;
    r.current.gtin = 8718699002022ULL;
    r.current.last_bank = 205;
    dali::LuminaireData data;
    data.luminaire_id = 0x8000000000000001ULL;
    data.nominal_power_w = 39.5;
    data.cct_k = 3000;
    r.current.luminaire = data;
    r.read_at = SystemTime(std::chrono::seconds(1'700'000'600));
    r.attempted_at = r.read_at;
    r.swaps = 2;
    r.changed_at = r.read_at;

    InventoryRecord unread;
    unread.luminaire = "L-2";
    unread.bus = "bus2";
    unread.address = 1;
    unread.area = "villa";
    unread.attempted_at = r.read_at;
    unread.problem = "short address 1: bank 0 not readable";

    {
        InventoryStore store(db);
        CHECK(store.load().empty());
        store.save({r, unread});
    }
    InventoryStore again(db);  // a second migrate is a no-op
    auto loaded = again.load();
    REQUIRE(loaded.size() == 2);
    const auto& x = loaded.at("L-1");
    CHECK(x.bus == "bus2");
    CHECK(x.address == 63);
    CHECK(x.location.present);
    CHECK(x.location.street == "Kyrkgatan \"12\"");
    CHECK(x.first.identification == 0xFFFFFFFFFFFFFFFEULL);
    CHECK(x.first.gtin == 4052899001015ULL);
    CHECK(x.first_read_at == r.first_read_at);
    CHECK(x.current.gtin == 8718699002022ULL);
    CHECK(x.current.firmware == 0x0203);
    CHECK(x.current.last_bank == 205);
    REQUIRE(x.current.luminaire);
    CHECK(*x.current.luminaire == data);
    CHECK(x.swaps == 2);
    CHECK(x.changed_at == r.changed_at);
    const auto& y = loaded.at("L-2");
    CHECK_FALSE(y.has_identity());
    CHECK_FALSE(y.location.present);
    CHECK_FALSE(y.current.gtin);
    CHECK(y.problem == unread.problem);

    // Saving again replaces the row (one row per luminaire).
    r.swaps = 3;
    again.save({r});
    CHECK(again.load().at("L-1").swaps == 3);
    CHECK(again.load().size() == 2);
}
