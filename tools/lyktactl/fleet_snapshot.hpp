#pragma once
// The fleet as the broker holds it: every gateway under the prefix from its
// retained P/status, P/info and P/alarms (docs/mqtt-api.md), plus the
// heartbeats seen while listening. No request is sent.
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "broker_session.hpp"
#include "gateway/core/clock.hpp"

namespace lykta::ctl {

struct GatewayView {
    std::string id;
    nlohmann::json status;  // retained P/status, null when the broker has none
    nlohmann::json info;    // retained P/info
    nlohmann::json alarms;  // retained P/alarms
    std::optional<SystemTime> last_heartbeat;
    std::optional<double> heartbeat_session;  // the highest `session` among those heartbeats
};

struct FleetSnapshot {
    std::map<std::string, GatewayView> gateways;  // by id, sorted
    std::chrono::milliseconds listened{0};        // how long heartbeats were collected
    SystemTime taken{};

    // Files one message under its gateway; other topics are ignored. An empty
    // retained payload clears that part (the gateway is forgotten when nothing is left).
    void take(const std::string& prefix, const std::string& topic, const std::string& payload,
              SystemTime received);
};

// Reads the retained topics (waiting until the broker delivered them all),
// then keeps collecting heartbeats for `listen`.
FleetSnapshot read_fleet(BrokerSession& session, std::chrono::milliseconds listen,
                         std::chrono::milliseconds timeout);

// What the fleet verbs decide about one gateway. The heartbeat is the truth
// for "offline" (a will is best-effort on clustered brokers): a gateway whose
// status says online but which sent no heartbeat while we listened at least
// `heartbeat_s` (from P/info, else the listening time) is offline; one whose
// status says offline but which sent a heartbeat of a newer session is back
// (its `online` may have been lost: aedes drops messages overtaken on the way,
// docs/scaling.md).
struct Presence {
    std::string state;   // "online", "offline", "unknown"
    std::string detail;  // "connection-lost", "no heartbeat for 60 s", ...
};
Presence presence_of(const GatewayView& gateway, std::chrono::milliseconds listened);

}  // namespace lykta::ctl
