#include <catch2/catch.hpp>

#include "gateway/faults/configured_faults.hpp"
#include "gateway/faults/meter_facts.hpp"
#include "gateway/faults/sweep_facts.hpp"
#include "gateway/luminaires/sweep.hpp"

using namespace lykta;
using namespace lykta::faults;

TEST_CASE("sweep facts name the luminaires, take what burns from the sweep and judge the bus once") {
    config::Config c;
    config::DaliBus bus{"bus1", {}, 60, 900};
    c.luminaires.push_back({"L-1", "bus1", 3, "torget", 40, {}});
    c.luminaires.push_back({"X-1", "bus2", 3, "other", 40, {}});
    dali::GearStatus known{3, true, 254, 100.0, true, false, {}, ""};
    dali::GearStatus stranger{9, true, 254, 100.0, false, false, {}, ""};

    auto sweep = [&](std::vector<dali::GearStatus> statuses, bool reachable) {
        return sweep_facts(luminaires::make_sweep(c, bus, std::move(statuses), reachable));
    };
    auto facts = sweep({known, stranger}, true);
    REQUIRE(facts.gear.size() == 1);
    CHECK(facts.gear[0].status.luminaire == "L-1");
    CHECK(facts.gear[0].status.area == "torget");
    CHECK(facts.gear[0].status.lamp_failure);
    CHECK(facts.gear[0].status.level == 100.0);  // what it reports
    CHECK(facts.gear[0].light == 0.0);           // what burns: the lamp failed
    CHECK(facts.bus.interface_up);
    CHECK(facts.bus.bus_powered);

    dali::GearStatus lost{3, false, {}, {}, false, false, {}, "bus error (power loss)"};
    facts = sweep({lost}, false);
    CHECK(facts.bus.interface_up);
    CHECK_FALSE(facts.bus.bus_powered);
    CHECK_FALSE(facts.gear[0].status.bus_ok);
    CHECK_FALSE(facts.gear[0].light);

    lost.problem = "bus error (timeout)";
    facts = sweep({lost}, false);
    CHECK_FALSE(facts.bus.interface_up);

    lost.problem = "no answer";  // every gear silent on a live interface: each is missing
    facts = sweep({lost}, false);
    CHECK(facts.bus.interface_up);
    CHECK(facts.bus.bus_powered);
    CHECK(facts.gear[0].status.bus_ok);
    CHECK_FALSE(facts.gear[0].status.level);
}

TEST_CASE("meter status becomes the detectors' meter status") {
    cabinet::MeterStatus s{"io1", {"torget", "villa"}, true, true, true, false, {}, 12.0, {}, {}};
    auto f = fault_meter_status(s);
    CHECK(f.meter == "io1");
    CHECK(f.area == "torget");
    CHECK(f.door_open == true);
    CHECK(f.contactor_commanded == true);
    CHECK(f.contactor_feedback == false);
    CHECK(f.active_power_w == 12.0);
    s.areas.clear();
    CHECK(fault_meter_status(s).area.empty());
}

TEST_CASE("a fault is still configured while its target and area are", "[faults]") {
    config::Config c;
    c.dali.buses.push_back({"bus1", {}, 60, 900});
    c.luminaires.push_back({"L-1", "bus1", 0, "torget", 40, {}});
    c.areas.push_back({"torget", "Torget", "centrum", "", {}, {}, {}});
    config::ModbusDevice io;
    io.id = "io1";
    c.modbus.devices.push_back(io);
    auto fault = [](std::string target, std::string area) {
        faults::Fault f;
        f.target = std::move(target);
        f.area = std::move(area);
        return f;
    };
    CHECK(faults::still_configured(c, fault("luminaire/L-1", "torget")));
    CHECK_FALSE(faults::still_configured(c, fault("luminaire/L-2", "torget")));
    CHECK_FALSE(faults::still_configured(c, fault("luminaire/L-1", "parken")));  // area removed
    CHECK(faults::still_configured(c, fault("bus/bus1", "")));
    CHECK_FALSE(faults::still_configured(c, fault("bus/bus2", "")));
    CHECK(faults::still_configured(c, fault("meter/io1", "torget")));
    CHECK(faults::still_configured(c, fault("cabinet/io1", "torget")));
    CHECK_FALSE(faults::still_configured(c, fault("cabinet/io2", "torget")));
    CHECK(faults::still_configured(c, fault("area/torget", "torget")));
    CHECK_FALSE(faults::still_configured(c, fault("area/parken", "")));
    // Another room's target kind: not ours to judge.
    CHECK(faults::still_configured(c, fault("store/main", "")));

    CHECK_FALSE(faults::moved_area(c, fault("luminaire/L-1", "torget")));
    CHECK(faults::moved_area(c, fault("luminaire/L-1", "hamnen")));
    CHECK_FALSE(faults::moved_area(c, fault("luminaire/L-2", "hamnen")));  // gone: retired instead
    CHECK_FALSE(faults::moved_area(c, fault("meter/io1", "hamnen")));
    CHECK_FALSE(faults::moved_area(c, fault("luminaire", "hamnen")));
}
