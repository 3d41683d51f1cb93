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
