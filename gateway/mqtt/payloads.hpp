#pragma once
// Payload (de)serialisers of the MQTT API v1: presence, info, heartbeat, the
// outbox delivery fields and the response envelope. Pure functions of their
// inputs, so the wire format is tested without a broker.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"

namespace lykta::mqtt {

// P/status
nlohmann::json status_online(std::int64_t session, SystemTime since, std::string_view version);
nlohmann::json status_offline(std::int64_t session, std::string_view reason);
// A status seen on our own P/status while connected is a late will (a cluster
// node that crashed publishing the will of an earlier connection) only when it
// is a status object, not "online", from an earlier session than the current
// one. The will of the current session means this connection is being dropped
// (mosquitto publishes it while shutting down): answering it with "online"
// would leave a stale retained status behind. Anything else someone publishes
// there is not ours to act on.
bool is_late_will(const nlohmann::json& status, std::int64_t current_session);

// P/info. `capabilities` are the registered command paths; `extra` holds the
// fields other rooms contribute (e.g. "schedule_revision").
struct InfoFacts {
    std::string version;
    std::string config_hash;
    std::vector<std::string> capabilities;
    std::map<std::string, nlohmann::json> extra;
};
nlohmann::json info(const config::Config& config, const InfoFacts& facts);

// P/heartbeat. `extra` holds the named heartbeat sources (e.g. "dali" per-bus counters).
struct HeartbeatFacts {
    std::int64_t uptime_s = 0;
    std::int64_t outbox_depth = 0;
    std::int64_t seq = 0;  // highest event/telemetry seq assigned so far: lets the platform see gaps
    std::int64_t session = 0;
    std::int64_t telemetry_dropped = 0;
    std::int64_t requests_rejected_busy = 0;
    std::map<std::string, nlohmann::json> extra;
};
nlohmann::json heartbeat(const HeartbeatFacts& facts);

// Adds "ts" when the producer did not set one.
nlohmann::json stamp(nlohmann::json message, SystemTime now);

// The stored outbox text plus the delivery fields: {"seq":N,["historical":true,]...}.
// Works on the serialised object so a backlog drains without re-parsing.
std::string with_delivery_fields(std::string_view stored_object, std::int64_t seq, bool historical);

// 64-bit FNV-1a of a file's bytes as 16 hex digits ("" when unreadable): the
// config hash in P/info, so the platform sees which file a gateway runs.
std::string file_hash(const std::string& path);

}  // namespace lykta::mqtt
