#include "fleet_snapshot.hpp"

#include <algorithm>
#include <cmath>

#include "json_fields.hpp"

namespace lykta::ctl {

void FleetSnapshot::take(const std::string& prefix, const std::string& topic, const std::string& payload,
                         SystemTime received) {
    // <prefix>/<gateway>/<part>, with exactly one level for the gateway id.
    if (topic.size() <= prefix.size() + 1 || topic.compare(0, prefix.size(), prefix) != 0 ||
        topic[prefix.size()] != '/')
        return;
    const auto rest = topic.substr(prefix.size() + 1);
    const auto slash = rest.find('/');
    if (slash == std::string::npos || slash == 0) return;
    const auto id = rest.substr(0, slash);
    const auto part = rest.substr(slash + 1);
    if (part != "status" && part != "info" && part != "alarms" && part != "heartbeat") return;
    if (payload.empty()) {
        auto found = gateways.find(id);
        if (found == gateways.end() || part == "heartbeat") return;
        auto& g = found->second;
        (part == "status" ? g.status : part == "info" ? g.info : g.alarms) = nullptr;
        if (g.status.is_null() && g.info.is_null() && g.alarms.is_null()) gateways.erase(found);
        return;
    }
    auto& g = gateways[id];
    g.id = id;
    auto parsed = nlohmann::json::parse(payload, nullptr, false);
    if (part == "heartbeat") {
        g.last_heartbeat = received;
        if (const auto* session = field(parsed, "session"); session && session->is_number())
            g.heartbeat_session = std::max(g.heartbeat_session.value_or(0), session->get<double>());
        return;
    }
    if (!parsed.is_object()) return;  // not Lykta's: the other parts still count
    (part == "status" ? g.status : part == "info" ? g.info : g.alarms) = std::move(parsed);
}

FleetSnapshot read_fleet(BrokerSession& session, std::chrono::milliseconds listen,
                         std::chrono::milliseconds timeout) {
    const auto& prefix = session.options().prefix;
    FleetSnapshot fleet;
    std::vector<std::string> filters{prefix + "/+/status", prefix + "/+/info", prefix + "/+/alarms"};
    if (listen.count() > 0) filters.push_back(prefix + "/+/heartbeat");
    session.subscribe(filters, 0);
    session.sync(timeout);
    const auto stop = std::chrono::steady_clock::now() + listen;
    // Everything sync() held comes first; then what arrives until `stop`.
    while (auto message = session.next(stop))
        fleet.take(prefix, message->get_topic(), message->to_string(), std::chrono::system_clock::now());
    fleet.listened = listen;
    fleet.taken = std::chrono::system_clock::now();
    return fleet;
}

Presence presence_of(const GatewayView& gateway, std::chrono::milliseconds listened) {
    if (!gateway.status.is_object()) return {"unknown", "no status on the broker"};
    const auto state = text_field(gateway.status, "state");
    if (state.empty()) return {"unknown", "its status has no valid \"state\""};
    if (state != "online") {
        // docs/mqtt-api.md, "Heartbeats are the truth": a newer session is back.
        const auto* session = field(gateway.status, "session");
        if (gateway.heartbeat_session && session && session->is_number() &&
            *gateway.heartbeat_session > session->get<double>())
            return {"online", "heartbeat of session " +
                                  std::to_string(std::llround(*gateway.heartbeat_session)) +
                                  " after an offline status of session " +
                                  std::to_string(std::llround(session->get<double>()))};
        return {"offline", text_field(gateway.status, "reason", "offline")};
    }
    if (listened.count() <= 0 || gateway.last_heartbeat) return {"online", ""};
    const auto heartbeat_s = number_field(gateway.info, "heartbeat_s");
    if (heartbeat_s > 0 && std::chrono::duration<double>(listened).count() < heartbeat_s)
        return {"online", ""};  // too short a wait to miss one
    return {"offline",
            "no heartbeat for " +
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(listened).count()) + " s"};
}

}  // namespace lykta::ctl
