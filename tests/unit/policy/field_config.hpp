#pragma once
// A small config for the field-practice tests: part-night profile with a
// safety-flagged area, a seasonal disable, an n-th weekday rule and a profile
// with sun-elevation steps and a 02:30 step for the DST nights.
#include <catch2/catch.hpp>

#include "gateway/config/loader.hpp"

namespace lykta::policy::test {

inline const std::string field_yaml = R"yaml(version: 1
gateway: { id: gw1 }
site: { latitude: 56.0, longitude: 13.0, timezone: Europe/Stockholm }
dali:
  buses:
    - { id: bus1, interface: "foxtron://127.0.0.1:55825" }
luminaires:
  - { id: G-1, bus: bus1, address: 0, area: gata }
  - { id: P-1, bus: bus1, address: 1, area: park }
  - { id: D-1, bus: bus1, address: 2, area: dst }
areas:
  - { id: gata, profile: delnatt, safety_profile: trygg }
  - { id: park, profile: delnatt, safety_profile: mjuk }
  - { id: dst, profile: natt }
profiles:
  delnatt: [ { at: sunset, level: 100 }, { at: "01:00", level: 0 }, { at: "05:00", level: 100 },
             { at: sunrise, level: 0 } ]
  trygg: { floor: 30, steps: [ { at: sunset, level: 0 } ] }
  mjuk: [ { at: sunset, level: 0 } ]
  natt: [ { at: "sun(-3)",
                         level : 80
}, { at: "02:30", level: 40 }, { at: "sun(-3)", level: 0 } ]
  fest: [ { at: sunset, level: 100 }, { at: sunrise, level: 0 } ]
calendar:
  - { name: sommaruppehall, dates: ["05-15..08-15"], profile: off, areas: [park] }
  - { name: hostlov, nth: ["last sunday of october", "2nd monday of may"], areas: [park], profile: fest }
  - { name: jul, dates: ["12-20..01-06"], areas: [park], profile: fest }
  - { name: vinterpaus, dates: ["12-24"], areas: [park], disable: true }
safety_flags:
  - { id: skolvag, area: gata, source: "Trygghetsvandring 2025", reason: "school path" }
)yaml";

inline const config::Config& field_config() {
    static const config::Config config = [] {
        auto result = config::load_string(field_yaml, "field.yaml");
        if (!result.ok())
            for (const auto& d : result.diagnostics) FAIL(d.to_string());
        return *result.config;
    }();
    return config;
}

}  // namespace lykta::policy::test
