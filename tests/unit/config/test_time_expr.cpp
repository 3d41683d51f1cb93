#include <catch2/catch.hpp>

#include "gateway/config/time_expr.hpp"

using namespace lykta::config;

TEST_CASE("time expressions: valid forms parse", "[config][time_expr]") {
    auto t = parse_time_expr("sunset+10m");
    REQUIRE(t);
    CHECK(t->base == TimeExpr::Base::sunset);
    CHECK(t->minutes == 10);

    auto dusk = parse_time_expr("civil_dusk-1h30m");
    REQUIRE(dusk);
    CHECK(dusk->base == TimeExpr::Base::civil_dusk);
    CHECK(dusk->minutes == -90);

    auto clock = parse_time_expr("22:05");
    REQUIRE(clock);
    CHECK(clock->base == TimeExpr::Base::clock);
    CHECK(clock->minutes == 22 * 60 + 5);

    CHECK(parse_time_expr("sunrise")->minutes == 0);
    CHECK(parse_time_expr("civil_dawn+1h")->minutes == 60);
    CHECK(parse_time_expr("00:00")->minutes == 0);
    CHECK(parse_time_expr("23:59")->minutes == 1439);
}

TEST_CASE("time expressions: invalid forms are rejected with a reason", "[config][time_expr]") {
    TimeExprError error;
    CHECK_FALSE(parse_time_expr("sunset+10x", &error));
    CHECK(error.message.find("unknown offset unit 'x'") != std::string::npos);
    CHECK(error.offset == 9);

    CHECK_FALSE(parse_time_expr("25:00", &error));
    CHECK(error.message.find("HH:MM") != std::string::npos);
    CHECK_FALSE(parse_time_expr("12:60"));
    CHECK_FALSE(parse_time_expr("12:5"));
    CHECK_FALSE(parse_time_expr("sunset+", &error));
    CHECK_FALSE(parse_time_expr("sunset+10", &error));
    CHECK(error.message.find("unit") != std::string::npos);
    CHECK_FALSE(parse_time_expr("sunset10m", &error));
    CHECK_FALSE(parse_time_expr("sundown", &error));
    CHECK(error.message.find("unknown time expression") != std::string::npos);
    CHECK_FALSE(parse_time_expr("", &error));
    CHECK_FALSE(parse_time_expr("sunset+13h"));  // more than 12 h off the event
}

TEST_CASE("time expressions: to_string round-trips", "[config][time_expr]") {
    for (const char* text : {"sunset+10m", "civil_dusk-90m", "sunrise", "civil_dawn+1h", "sunset-2h", "05:30", "00:00"}) {
        auto t = parse_time_expr(text);
        REQUIRE(t);
        auto again = parse_time_expr(t->to_string());
        REQUIRE(again);
        CHECK(*again == *t);
    }
    CHECK(parse_time_expr("civil_dusk-1h30m")->to_string() == "civil_dusk-90m");
    CHECK(parse_time_expr("sunset+60m")->to_string() == "sunset+1h");
    CHECK(parse_time_expr("05:30")->to_string() == "05:30");
}

TEST_CASE("clock minutes: HH:MM only", "[config][time_expr]") {
    CHECK(parse_clock_minutes("20:00") == 20 * 60);
    CHECK(parse_clock_minutes("04:00") == 240);
    CHECK_FALSE(parse_clock_minutes("sunset"));
    CHECK_FALSE(parse_clock_minutes("24:00"));
}
