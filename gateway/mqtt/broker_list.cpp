#include "gateway/mqtt/broker_list.hpp"

#include <MQTTAsync.h>

#include <stdexcept>

namespace lykta::mqtt {

bool refuses_mqtt5(int reason_code, int return_code) {
    return reason_code == 0x84 || return_code == 0x84 || return_code == 1 ||
           return_code == MQTTASYNC_DISCONNECTED;
}

BrokerList::BrokerList(std::vector<std::string> uris, int version)
    : uris_(std::move(uris)), version_(version), v311_only_(uris_.size(), false) {
    if (uris_.empty()) throw std::invalid_argument("mqtt: no broker URI configured");
}

int BrokerList::version() const {
    if (version_ == 3) return 3;
    if (version_ == 5) return 5;
    return v311_only_[current_] || trying_fallback_ ? 3 : 5;
}

bool BrokerList::failed(bool refused_v5) {
    if (version_ == 0 && !trying_fallback_ && !v311_only_[current_] && refused_v5) {
        trying_fallback_ = true;
        return true;
    }
    trying_fallback_ = false;
    current_ = (current_ + 1) % uris_.size();
    return false;
}

void BrokerList::connected() {
    if (trying_fallback_) v311_only_[current_] = true;
    trying_fallback_ = false;
}

}  // namespace lykta::mqtt
