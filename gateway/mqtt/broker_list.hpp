#pragma once
// Which broker node to dial next and with which MQTT version. A cluster's
// nodes are tried in the configured order; a failed attempt moves on to the
// next node after the jittered backoff. With `mqtt.version: auto` the link
// speaks MQTT 5 until an attempt looks refused (closed without a CONNACK, as
// RabbitMQ 3.10 does, or "unsupported protocol version", MQTT 5.0 §3.2.2.2
// reason 0x84 / MQTT 3.1.1 §3.2.2.3 return code 1); then it dials the same
// node again at once with 3.1.1 and keeps 3.1.1, on every node, until the
// process restarts. Every node, because Paho C (1.3) refuses an MQTT 5 connect
// on a client that has once connected with 3.1.1 (MQTTAsync_connect checks the
// client's last version: MQTTASYNC_WRONG_MQTT_VERSION). Pure: the link owns the
// timers and the Paho client.
#include <cstddef>
#include <string>
#include <vector>

namespace lykta::mqtt {

// Whether a failed MQTT 5 CONNECT (Paho's token: MQTT 5 reason code, Paho
// return code) says "this broker does not speak 5": the connection closed
// before any CONNACK (RabbitMQ 3.10), a CONNACK with reason 0x84 Unsupported
// Protocol Version (MQTT 5.0 §3.2.2.2), or a 3.1.1 broker's return code 1,
// unacceptable protocol version (MQTT 3.1.1 §3.2.2.3). Paho cannot tell the
// first from a refused TCP connection: both count (broker_list.cpp).
bool refuses_mqtt5(int reason_code, int return_code);

class BrokerList {
public:
    // `version`: 0 = auto, 3 = 3.1.1 only, 5 = 5 only (config::MqttConfig::version).
    BrokerList(std::vector<std::string> uris, int version);

    const std::string& uri() const { return uris_[current_]; }
    std::size_t index() const { return current_; }
    std::size_t size() const { return uris_.size(); }
    // 5 or 3 (3.1.1) for the next attempt on uri().
    int version() const;
    // "5" or "3.1.1": what P/info and the log say.
    std::string protocol_name() const { return version() == 5 ? "5" : "3.1.1"; }

    // The attempt on uri() failed. `refused_v5` is true when the failure looks
    // like a broker that does not speak MQTT 5. Returns true when the same node
    // is to be dialled again at once (with 3.1.1); false: back off, then the next node.
    bool failed(bool refused_v5);
    // The attempt on uri() succeeded.
    void connected();

private:
    std::vector<std::string> uris_;
    int version_;
    bool v311_ = false;  // auto: fell back to 3.1.1 (for good, see above)
    std::size_t current_ = 0;
};

}  // namespace lykta::mqtt
