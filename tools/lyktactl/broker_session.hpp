#pragma once
// lyktactl's connection to the platform's MQTT broker, used by the remote
// transport (one gateway) and the fleet verbs (every gateway under a prefix).
// MQTT 5 first; when the broker refuses it (CONNACK 0x84 "unsupported
// protocol version", or it closes the connection without a CONNACK, as
// RabbitMQ does), MQTT 3.1.1. Messages are read from one queue by the
// caller's thread, so nothing here runs callbacks behind the caller's back.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <mqtt/async_client.h>

namespace lykta::ctl {

struct BrokerOptions {
    std::string uri;  // tcp://host:port, ssl://host:port, ws://..., wss://...
    std::string username;
    std::string password_file;  // first line is the password
    std::string ca_file;
    std::string cert_file;
    std::string key_file;
    bool verify_hostname = true;
    std::string prefix = "lykta";  // mqtt.prefix of the gateways
    int mqtt_version = 0;          // 0: 5, falling back to 3.1.1; else 5 or 3 only
};

class BrokerSession {
public:
    // Connects within `timeout`; throws TransportError naming the broker.
    BrokerSession(const BrokerOptions& options, std::chrono::milliseconds timeout);
    ~BrokerSession();
    BrokerSession(const BrokerSession&) = delete;
    BrokerSession& operator=(const BrokerSession&) = delete;

    bool v5() const { return v5_; }
    const std::string& client_id() const { return client_id_; }
    const BrokerOptions& options() const { return options_; }

    // Subscribes and waits for the SUBACK. Retained state is read at QoS 0: a
    // broker caps the QoS 1 messages it queues for one client (mosquitto's
    // max_queued_messages, 1,000 by default) and drops the rest, while QoS 0
    // goes straight to the socket; 3 retained topics of 1,000 gateways exceed the cap.
    void subscribe(const std::vector<std::string>& filters, int qos = 1);
    // Waits until the retained messages of every subscription made so far have
    // arrived: subscribes to a topic of its own and publishes a marker there;
    // the broker delivers one client's messages in order, so the marker comes
    // after them. Messages read meanwhile are kept for next().
    void sync(std::chrono::milliseconds timeout);
    void publish(::mqtt::message_ptr message);
    // The next message, or nullptr at the deadline. Throws TransportError when
    // the connection was lost.
    ::mqtt::const_message_ptr next(std::chrono::steady_clock::time_point deadline);

private:
    void connect(int version, std::chrono::milliseconds timeout);

    BrokerOptions options_;
    std::string client_id_;
    std::string password_;
    std::unique_ptr<::mqtt::async_client> client_;
    bool v5_ = false;
    std::vector<::mqtt::const_message_ptr> held_;  // read by sync(), not yet by next()
    std::size_t held_next_ = 0;
    int syncs_ = 0;
};

}  // namespace lykta::ctl
