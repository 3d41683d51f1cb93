// The fleet verbs' presence rule, docs/mqtt-api.md "Heartbeats are the truth":
// a heartbeat of a newer session than an `offline` status means the gateway is
// back, whether or not its new `online` reached us (aedes drops messages that
// another overtook on the way; a will can come late on a cluster).
#include <catch2/catch.hpp>

#include "fleet_snapshot.hpp"

namespace {

lykta::ctl::FleetSnapshot fleet_with(const char* status, const char* heartbeat) {
    lykta::ctl::FleetSnapshot fleet;
    const auto now = std::chrono::system_clock::now();
    fleet.take("lykta", "lykta/gw-a/status", status, now);
    if (heartbeat) fleet.take("lykta", "lykta/gw-a/heartbeat", heartbeat, now);
    return fleet;
}

}  // namespace

TEST_CASE("fleet presence: a heartbeat of a newer session outranks an offline status") {
    const auto fleet = fleet_with(R"({"state":"offline","reason":"connection-lost","session":17})",
                                  R"({"uptime_s":5,"session":18,"seq":3})");
    const auto p = lykta::ctl::presence_of(fleet.gateways.at("gw-a"), std::chrono::seconds(30));
    CHECK(p.state == "online");
    CHECK(p.detail == "heartbeat of session 18 after an offline status of session 17");
}

TEST_CASE("fleet presence: the highest session among the heartbeats counts") {
    auto fleet =
        fleet_with(R"({"state":"offline","reason":"connection-lost","session":17})", R"({"session":18})");
    fleet.take("lykta", "lykta/gw-a/heartbeat", R"({"session":16})", std::chrono::system_clock::now());
    CHECK(fleet.gateways.at("gw-a").heartbeat_session == 18);
    CHECK(lykta::ctl::presence_of(fleet.gateways.at("gw-a"), std::chrono::seconds(30)).state == "online");
}

TEST_CASE("fleet presence: a heartbeat of the same or no session leaves an offline status offline") {
    for (const char* heartbeat :
         {R"({"session":17})", R"({"uptime_s":5})", R"({"session":"18"})", "not json"}) {
        const auto fleet =
            fleet_with(R"({"state":"offline","reason":"connection-lost","session":17})", heartbeat);
        const auto p = lykta::ctl::presence_of(fleet.gateways.at("gw-a"), std::chrono::seconds(30));
        INFO(heartbeat);
        CHECK(p.state == "offline");
        CHECK(p.detail == "connection-lost");
        // The heartbeat still counts as one (for an `online` status's rule).
        CHECK(fleet.gateways.at("gw-a").last_heartbeat);
    }
}

TEST_CASE("fleet presence: an offline status without a session is not outranked") {
    const auto fleet = fleet_with(R"({"state":"offline","reason":"shutdown"})", R"({"session":18})");
    CHECK(lykta::ctl::presence_of(fleet.gateways.at("gw-a"), std::chrono::seconds(30)).state == "offline");
}
