// Parsing of the sun-elevation time expression sun(E[, rising|setting])[offset].
#include <catch2/catch.hpp>

#include "gateway/config/time_expr.hpp"

using namespace lykta::config;

TEST_CASE("sun(E) parses elevation, direction and offset", "[time_expr][sun_elevation]") {
    auto a = parse_time_expr("sun(-3)");
    REQUIRE(a);
    CHECK(a->base == TimeExpr::Base::sun_elevation);
    CHECK(a->elevation_deg == Approx(-3));
    CHECK(a->direction == TimeExpr::Direction::automatic);
    CHECK(a->minutes == 0);
    CHECK(a->is_astro());
    CHECK(a->to_string() == "sun(-3)");

    auto b = parse_time_expr("sun(-6.5, rising)+10m");
    REQUIRE(b);
    CHECK(b->elevation_deg == Approx(-6.5));
    CHECK(b->direction == TimeExpr::Direction::rising);
    CHECK(b->minutes == 10);
    CHECK(b->to_string() == "sun(-6.5, rising)+10m");

    auto c = parse_time_expr("sun(2,setting)-1h");
    REQUIRE(c);
    CHECK(c->elevation_deg == Approx(2));
    CHECK(c->direction == TimeExpr::Direction::setting);
    CHECK(c->minutes == -60);
    auto round_trip = parse_time_expr(c->to_string());
    REQUIRE(round_trip);
    CHECK(*round_trip == *c);
}

TEST_CASE("malformed sun(E) expressions are rejected with a position", "[time_expr][sun_elevation]") {
    for (const char* text :
         {"sun()", "sun(-3", "sun(abc)", "sun(-30)", "sun(-3, up)", "sun(-3)+5", "sun(-3.)", "sun-3"}) {
        INFO(text);
        TimeExprError error;
        CHECK_FALSE(parse_time_expr(text, &error));
        CHECK_FALSE(error.message.empty());
    }
    TimeExprError error;
    CHECK_FALSE(parse_time_expr("sun(-3, up)", &error));
    CHECK(error.message.find("rising") != std::string::npos);
    CHECK(error.offset == 8);
}
