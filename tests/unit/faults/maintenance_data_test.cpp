#include <catch2/catch.hpp>

#include "gateway/faults/maintenance_data.hpp"
#include "gateway/faults/time_text.hpp"

using namespace lykta;
using namespace lykta::faults;

namespace {

config::Luminaire lum(const std::string& id, const std::string& bus, const std::string& area) {
    config::Luminaire l;
    l.id = id;
    l.bus = bus;
    l.area = area;
    l.location = {59.0, 18.0, "Gatan", true};
    return l;
}

}  // namespace

TEST_CASE("maintenance data colours luminaires and counts availability per area", "[faults][maintenance]") {
    store::Database db(":memory:");
    ManualClock clock(from_unix_seconds(1'795'000'000));
    FaultSettings settings;
    for (auto kind : all_kinds) settings.debounce.set(kind, {1, 1});
    FaultBook book(db, clock, settings, {});
    config::Config cfg;
    cfg.areas.push_back({"a", "Area A", "", "", {}, std::nullopt, std::nullopt});
    cfg.areas.push_back({"b", "Area B", "", "", {}, std::nullopt, std::nullopt});
    cfg.luminaires = {lum("L-1", "bus1", "a"), lum("L-2", "bus1", "a"), lum("L-3", "bus1", "a"),
                      lum("L-4", "bus1", "a"), lum("L-5", "bus2", "b"), lum("L-6", "bus2", "b")};
    auto t = clock.now();
    book.observe({t, FaultKind::lamp_failure, "luminaire/L-1", "a", true, ""});
    book.observe({t, FaultKind::day_burner, "luminaire/L-2", "a", true, ""});  // lit, not dark
    book.observe({t, FaultKind::bus_power, "bus/bus2", "", true, ""});

    auto data = maintenance_data(book, cfg);
    CHECK(data["faults"].size() == 3);
    auto state = [&](const std::string& id) {
        for (const auto& l : data["luminaires"])
            if (l["id"] == id) return l["state"].get<std::string>();
        return std::string("missing");
    };
    CHECK(state("L-1") == "major");
    CHECK(state("L-2") == "minor");
    CHECK(state("L-3") == "ok");
    CHECK(state("L-5") == "critical");
    CHECK(data["areas"][0]["dark"] == 1);
    CHECK(data["areas"][0]["availability_pct"] == Approx(75.0));
    CHECK(data["areas"][1]["availability_pct"] == Approx(0.0));
}
