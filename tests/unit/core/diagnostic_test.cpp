#include <catch2/catch.hpp>

#include "gateway/core/clock.hpp"
#include "gateway/core/diagnostic.hpp"

TEST_CASE("diagnostics print as FILE:LINE:COL: message") {
    lykta::Diagnostic d{{"lykta.yaml", 12, 5}, "luminaires[2].address: 64 is out of range 0..63"};
    CHECK(d.to_string() == "lykta.yaml:12:5: luminaires[2].address: 64 is out of range 0..63");
    lykta::Diagnostic no_line{{"lykta.yaml", 0, 0}, "cannot read file"};
    CHECK(no_line.to_string() == "lykta.yaml: cannot read file");
}

TEST_CASE("the manual clock moves only when told") {
    lykta::ManualClock clock(lykta::SystemTime{std::chrono::seconds(100)});
    CHECK(clock.now().time_since_epoch() == std::chrono::seconds(100));
    clock.advance(std::chrono::milliseconds(1500));
    CHECK(clock.now().time_since_epoch() == std::chrono::milliseconds(101500));
}
