// The luminaires room's verdict on each gear of a sweep: decided once here,
// read by lighting (failed counts), faults and statistics (what burns).
#include <catch2/catch.hpp>

#include "gateway/luminaires/sweep.hpp"

using namespace lykta;

namespace {

dali::GearStatus status(int address, bool available, std::optional<double> percent, bool lamp = false,
                        bool gear = false) {
    dali::GearStatus s;
    s.address = address;
    s.available = available;
    s.percent = percent;
    s.lamp_failure = lamp;
    s.gear_failure = gear;
    if (!available) s.problem = "no answer";
    return s;
}

}  // namespace

TEST_CASE("sweep: a gear that is silent or reports a lamp or gear failure gives no light",
          "[luminaires][sweep]") {
    config::Config c;
    config::DaliBus bus{"bus1", {}, 60, 900};
    for (int a = 0; a < 4; ++a)
        c.luminaires.push_back({"L-" + std::to_string(a), "bus1", a, "torget", 40, {}, {}});
    c.luminaires.push_back({"X-0", "bus2", 0, "other", 40, {}, {}});

    auto sweep = luminaires::make_sweep(
        c, bus,
        {status(0, true, 80.0), status(1, true, 80.0, true), status(2, true, 80.0, false, true),
         status(3, false, std::nullopt), status(9, true, 100.0)},
        true);
    CHECK(sweep.bus == &bus);
    CHECK(sweep.reachable);
    CHECK(sweep.statuses.size() == 5);      // every answer, also the stranger's
    REQUIRE(sweep.luminaires.size() == 4);  // only configured gear of this bus
    CHECK(sweep.luminaires[0].luminaire->id == "L-0");
    CHECK_FALSE(sweep.luminaires[0].failed);
    CHECK(sweep.luminaires[0].light == 80.0);
    CHECK(sweep.luminaires[1].failed);  // lamp failure: dark whatever level it reports
    CHECK(sweep.luminaires[1].light == 0.0);
    CHECK(sweep.luminaires[2].failed);  // control gear failure
    CHECK(sweep.luminaires[2].light == 0.0);
    CHECK(sweep.luminaires[3].failed);  // silent: failed, light unknown
    CHECK_FALSE(sweep.luminaires[3].light);
    CHECK(sweep.luminaires[3].status.problem == "no answer");

    // Answering without a level read: nothing known of its light, not failed.
    auto quiet = luminaires::make_sweep(c, bus, {status(0, true, std::nullopt)}, false);
    CHECK_FALSE(quiet.reachable);
    REQUIRE(quiet.luminaires.size() == 1);
    CHECK_FALSE(quiet.luminaires[0].failed);
    CHECK_FALSE(quiet.luminaires[0].light);
}
