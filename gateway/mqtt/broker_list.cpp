#include "gateway/mqtt/broker_list.hpp"

#include <MQTTAsync.h>

#include <stdexcept>

namespace lykta::mqtt {

bool refuses_mqtt5(int reason_code, int return_code) {
    // Paho reports a connection closed before the CONNACK as a plain failure
    // (MQTTASYNC_FAILURE), the same code as a refused TCP connection; it keeps
    // the text that tells them apart to itself. So a plain failure counts too:
    // for a node that is down, the 3.1.1 attempt fails as fast and costs one
    // refused connection; and a node that answers 3.1.1 then is a node that
    // may be used with 3.1.1 anyway.
    return reason_code == 0x84 || return_code == 0x84 || return_code == 1 ||
           return_code == MQTTASYNC_DISCONNECTED || return_code == MQTTASYNC_FAILURE;
}

BrokerList::BrokerList(std::vector<std::string> uris, int version) : uris_(std::move(uris)), version_(version) {
    if (uris_.empty()) throw std::invalid_argument("mqtt: no broker URI configured");
}

int BrokerList::version() const {
    if (version_ == 3 || version_ == 5) return version_;
    return v311_ ? 3 : 5;
}

bool BrokerList::failed(bool refused_v5) {
    if (version_ == 0 && !v311_ && refused_v5) {
        v311_ = true;
        return true;
    }
    current_ = (current_ + 1) % uris_.size();
    return false;
}

void BrokerList::connected() {}

}  // namespace lykta::mqtt
