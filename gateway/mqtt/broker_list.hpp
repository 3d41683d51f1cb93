#pragma once
// Which broker node to dial next and with which MQTT version. A cluster's
// nodes are tried in the configured order; a failed attempt moves on to the
// next node after the jittered backoff. With `mqtt.version: auto` a node is
// first dialled with MQTT 5; if it refuses 5 (closes the connection without a
// CONNACK, as RabbitMQ 3.10 does, or answers "unsupported protocol version",
// MQTT 5.0 §3.2.2.2 reason 0x84 / MQTT 3.1.1 §3.2.2.3 return code 1) the same
// node is dialled again at once with 3.1.1, and that node keeps 3.1.1 for the
// life of the process. Pure: the link owns the timers and the Paho client.
#include <cstddef>
#include <string>
#include <vector>

namespace lykta::mqtt {

// Whether a failed MQTT 5 CONNECT (Paho's token: MQTT 5 reason code, Paho
// return code) says "this broker does not speak 5": the connection closed
// before any CONNACK (RabbitMQ 3.10), a CONNACK with reason 0x84 Unsupported
// Protocol Version (MQTT 5.0 §3.2.2.2), or a 3.1.1 broker's return code 1,
// unacceptable protocol version (MQTT 3.1.1 §3.2.2.3). A refused TCP
// connection is not: nothing answered at all.
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
    // The attempt on uri() succeeded: a 3.1.1 fallback there is remembered.
    void connected();

private:
    std::vector<std::string> uris_;
    int version_;
    std::vector<bool> v311_only_;  // per node: learned that it refuses MQTT 5
    std::size_t current_ = 0;
    bool trying_fallback_ = false;
};

}  // namespace lykta::mqtt
