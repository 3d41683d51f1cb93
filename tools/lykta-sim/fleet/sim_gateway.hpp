#pragma once
// One simulated gateway of `lykta-sim fleet`: a real MQTT connection with
// Lykta's will, presence, retained states, heartbeats and answers to every
// request of the API (docs/mqtt-api.md) in the contract's shapes, and the
// daemon's cluster behaviour (node failover, MQTT 5 -> 3.1.1 fallback, late
// will, idempotent ids). The lighting itself is a toy: levels are set, not
// computed from a policy. Lives on the fleet's single io_context thread;
// Paho's callbacks only post to it.
#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <mqtt/async_client.h>

#include "gateway/api/command_router.hpp"
#include "gateway/config/model.hpp"
#include "gateway/mqtt/backoff.hpp"
#include "gateway/mqtt/broker_list.hpp"
#include "gateway/mqtt/topics.hpp"

namespace lykta::sim {

struct FleetOptions {
    std::vector<std::string> brokers{"tcp://127.0.0.1:1883"};
    int gateways = 10;
    std::string id_prefix = "sim-";
    int first = 0;
    std::string prefix = "lykta";
    int luminaires = 4;  // per gateway, in one area
    int heartbeat_s = 60;
    int keepalive_s = 30;
    int version = 0;  // 0 auto, 3, 5 (as mqtt.version)
    int qos = 1;
    int subscribe_qos = 1;  // as mqtt.subscribe_qos
};

// Counters the fleet prints once a second (summed over gateways).
struct FleetCounters {
    std::uint64_t connects = 0;
    std::uint64_t connect_failures = 0;
    std::uint64_t requests = 0;
    std::uint64_t late_wills = 0;
};

class SimGateway {
public:
    SimGateway(asio::io_context& io, const FleetOptions& options, int index, FleetCounters& counters);
    ~SimGateway();
    SimGateway(const SimGateway&) = delete;
    SimGateway& operator=(const SimGateway&) = delete;

    void start();
    // Publishes offline (reason "shutdown") and disconnects, bounded.
    void stop();
    bool connected() const { return connected_; }
    const std::string& id() const { return config_.gateway.id; }

private:
    void connect();
    void on_connected();
    void on_failed(bool refused_v5, bool lost = false);
    void on_message(const ::mqtt::const_message_ptr& msg);
    void on_own_status(const ::mqtt::message& msg);
    void publish(const std::string& topic, const nlohmann::json& payload, bool retained, int qos);
    void publish_retained_all();
    void heartbeat();
    void add_commands();
    nlohmann::json luminaire_state(const config::Luminaire& l) const;
    nlohmann::json area_state() const;
    nlohmann::json override_object(const std::string& target, double level, const nlohmann::json& args);

    asio::io_context& io_;
    const FleetOptions& options_;
    FleetCounters& counters_;
    config::Config config_;
    mqtt::Topics topics_;
    mqtt::BrokerList brokers_;
    mqtt::Backoff backoff_;
    api::CommandRouter router_;
    ::mqtt::async_client client_;
    std::shared_ptr<::mqtt::iaction_listener> connect_listener_;
    asio::steady_timer reconnect_timer_;
    asio::steady_timer heartbeat_timer_;
    std::chrono::steady_clock::time_point started_;
    std::int64_t session_ = 0;
    std::int64_t seq_ = 0;
    std::int64_t revision_ = 1;
    bool connected_ = false;
    bool stopping_ = false;
    std::map<std::string, double> levels_;            // luminaire id -> level
    nlohmann::json override_ = nullptr;               // the area's override, or null
    nlohmann::json flags_ = nlohmann::json::array();  // safety flags set over MQTT
};

}  // namespace lykta::sim
