#include <catch2/catch.hpp>

#include "gateway/http/roles.hpp"

using namespace lykta::http;

TEST_CASE("roles: viewers read, crews also acknowledge, identify and override one luminaire") {
    for (const char* read : {"faults/list", "faults/report", "report/get", "explain", "inventory/get"}) {
        CHECK(may_run(Role::viewer, read));
        CHECK(may_run(Role::crew, read));
    }
    for (const char* crew : {"faults/ack", "luminaire/identify", "luminaire/set", "override/clear"}) {
        CHECK_FALSE(may_run(Role::viewer, crew));
        CHECK(may_run(Role::crew, crew));
    }
    // The platform's operators' commands are no one's on the crew page.
    for (const char* op : {"area/set", "area/safety", "area/safety/clear", "schedule/set", "modbus/write",
                           "dali/commission", "inventory/read", "republish", "nonsense", ""}) {
        CHECK_FALSE(may_run(Role::viewer, op));
        CHECK_FALSE(may_run(Role::crew, op));
    }
    CHECK(commands_for(Role::viewer).size() + 4 == commands_for(Role::crew).size());
    CHECK(role_from_name("crew") == Role::crew);
    CHECK_FALSE(role_from_name("admin"));
}

TEST_CASE("roles: a crew clears one luminaire's override and holds a luminaire for a while only") {
    using nlohmann::json;
    auto refused = [](const char* command, const json& args) {
        return argument_refusal(Role::crew, command, args).value_or("");
    };
    CHECK_THAT(refused("override/clear", json{{"area", "torget"}}), Catch::Contains("luminaire"));
    CHECK_THAT(refused("override/clear", json{{"luminaire", "L-1"}, {"area", "torget"}}),
               Catch::Contains("area"));
    CHECK(refused("override/clear", json::object()) != "");
    CHECK(refused("override/clear", json{{"luminaire", "L-1"}}) == "");
    CHECK_THAT(refused("luminaire/set", json{{"luminaire", "L-1"}, {"level", 40}}),
               Catch::Contains("duration_s"));
    CHECK(refused("luminaire/set", json{{"luminaire", "L-1"}, {"level", 40}, {"duration_s", 59}}) != "");
    CHECK(refused("luminaire/set", json{{"luminaire", "L-1"}, {"level", 40}, {"duration_s", 366 * 86400}}) !=
          "");
    CHECK(refused("luminaire/set", json{{"luminaire", "L-1"}, {"duration_s", "600"}}) != "");
    CHECK_THAT(refused("luminaire/set",
                       json{{"luminaire", "L-1"}, {"duration_s", 600}, {"until", "2099-01-01T00:00:00Z"}}),
               Catch::Contains("until"));
    CHECK(refused("luminaire/set", json{{"luminaire", "L-1"}, {"level", 40}, {"duration_s", 60}}) == "");
    CHECK(refused("luminaire/set", json{{"luminaire", "L-1"}, {"level", 40}, {"duration_s", 86400}}) == "");
    CHECK(refused("faults/ack", json{{"fault", "f-1"}}) == "");
    CHECK_FALSE(argument_refusal(Role::viewer, "faults/list", json::object()));
}
