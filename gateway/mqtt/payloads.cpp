#include "gateway/mqtt/payloads.hpp"
#include "gateway/core/fnv1a.hpp"
#include "gateway/core/rfc3339.hpp"

#include <ctime>
#include <fstream>
#include <iterator>

namespace lykta::mqtt {

nlohmann::json status_online(std::int64_t session, SystemTime since, std::string_view version) {
    return {{"state", "online"}, {"session", session}, {"since", rfc3339_utc(since)}, {"version", version}};
}

bool is_late_will(const nlohmann::json& status, std::int64_t current_session) {
    if (!status.is_object()) return false;
    auto state = status.find("state");
    auto session = status.find("session");
    if (state == status.end() || !state->is_string() || *state == "online") return false;
    if (session == status.end() || !session->is_number_integer()) return false;
    return session->get<std::int64_t>() < current_session;
}

nlohmann::json status_offline(std::int64_t session, std::string_view reason) {
    return {{"state", "offline"}, {"session", session}, {"reason", reason}};
}

nlohmann::json info(const config::Config& config, const InfoFacts& facts) {
    std::map<std::string, int> per_bus;
    for (const auto& bus : config.dali.buses) per_bus[bus.id] = 0;
    for (const auto& l : config.luminaires) ++per_bus[l.bus];
    nlohmann::json buses = nlohmann::json::array();
    for (const auto& bus : config.dali.buses)
        buses.push_back(
            {{"id", bus.id}, {"interface", bus.interface.to_string()}, {"luminaires", per_bus[bus.id]}});
    nlohmann::json networks = nlohmann::json::array();
    for (const auto& n : config.modbus.networks) {
        int devices = 0;
        for (const auto& d : config.modbus.devices) devices += d.network == n.id ? 1 : 0;
        networks.push_back({{"id", n.id}, {"type", n.type}, {"devices", devices}});
    }
    nlohmann::json out{{"id", config.gateway.id},
                       {"name", config.gateway.name},
                       {"version", facts.version},
                       {"api", 1},
                       {"site",
                        {{"latitude", config.site.latitude},
                         {"longitude", config.site.longitude},
                         {"timezone", config.site.timezone}}},
                       {"buses", std::move(buses)},
                       {"modbus_networks", std::move(networks)},
                       {"luminaires", config.luminaires.size()},
                       {"areas", config.areas.size()},
                       {"meters", config.modbus.devices.size()},
                       {"config_hash", facts.config_hash},
                       {"capabilities", facts.capabilities}};
    for (const auto& [key, value] : facts.extra) out[key] = value;
    return out;
}

nlohmann::json heartbeat(const HeartbeatFacts& facts) {
    nlohmann::json out{{"uptime_s", facts.uptime_s},
                       {"outbox_depth", facts.outbox_depth},
                       {"seq", facts.seq},
                       {"session", facts.session},
                       {"telemetry_dropped", facts.telemetry_dropped},
                       {"requests_rejected_busy", facts.requests_rejected_busy}};
    for (const auto& [key, value] : facts.extra) out[key] = value;
    return out;
}

nlohmann::json stamp(nlohmann::json message, SystemTime now) {
    if (!message.is_object()) message = nlohmann::json{{"value", std::move(message)}};
    if (!message.contains("ts")) message["ts"] = rfc3339_utc(now);
    return message;
}

std::string with_delivery_fields(std::string_view stored_object, std::int64_t seq, bool historical) {
    std::string out = "{\"seq\":" + std::to_string(seq);
    if (historical) out += ",\"historical\":true";
    // stored_object is a serialised JSON object: "{" + members + "}".
    std::string_view members = stored_object.size() >= 2 ? stored_object.substr(1) : std::string_view("}");
    if (members != "}") out += ",";
    out.append(members);
    return out;
}

std::string file_hash(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::uint64_t h = fnv1a64_basis;
    char chunk[4096];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0)
        h = fnv1a64(std::string_view(chunk, static_cast<std::size_t>(in.gcount())), h);
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

}  // namespace lykta::mqtt
