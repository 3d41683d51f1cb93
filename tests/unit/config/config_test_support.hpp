#pragma once
// Helpers for the config tests: load inline YAML and look for one diagnostic
// by exact position and message fragment.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "gateway/config/loader.hpp"

namespace lykta::config::test {

inline std::string dump(const Diagnostics& diagnostics) {
    std::ostringstream out;
    for (const auto& d : diagnostics) out << "  " << d.to_string() << "\n";
    return out.str();
}

// True when some diagnostic sits at line:col and its message contains `text`.
inline bool has_error(const Diagnostics& diagnostics, int line, int col, const std::string& text) {
    for (const auto& d : diagnostics)
        if (d.pos.line == line && d.pos.col == col && d.message.find(text) != std::string::npos) return true;
    return false;
}

#define REQUIRE_ERROR(result, line, col, text)                                            \
    do {                                                                                  \
        INFO("diagnostics:\n" << ::lykta::config::test::dump((result).diagnostics));      \
        REQUIRE_FALSE((result).ok());                                                     \
        REQUIRE(::lykta::config::test::has_error((result).diagnostics, line, col, text)); \
    } while (0)

#define REQUIRE_LOADS(result)                                                        \
    do {                                                                             \
        INFO("diagnostics:\n" << ::lykta::config::test::dump((result).diagnostics)); \
        REQUIRE((result).ok());                                                      \
    } while (0)

// A small valid config; tests append sections after line 11. The line numbers
// in the tests below depend on this text: keep it exactly as it is.
inline const std::string base_config = R"(version: 1
gateway: { id: gw1 }
site: { latitude: 56.4, longitude: 12.8, timezone: Europe/Stockholm }
dali:
  buses:
    - { id: bus1, interface: "foxtron://127.0.0.1:55825" }
areas:
  - { id: torget, profile: centrum, safety_profile: trygg }
profiles:
  centrum: [ { at: sunset, level: 100 }, { at: sunrise, level: 0 } ]
  trygg: { floor: 80, steps: [ { at: civil_dusk, level: 100 } ] }
)";

inline LoadResult load_with(const std::string& extra) {
    return load_string(base_config + extra, "test.yaml");
}

}  // namespace lykta::config::test
