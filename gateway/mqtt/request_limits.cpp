#include "gateway/mqtt/request_limits.hpp"

namespace lykta::mqtt {

api::RouterLimits request_limits(const config::MqttConfig& mqtt) {
    api::RouterLimits limits;
    limits.max_payload = static_cast<std::size_t>(mqtt.max_payload);
    limits.queue_capacity = 256;
    limits.rate_per_s = static_cast<double>(mqtt.rate_limit_per_s);
    limits.max_depth = 32;
    return limits;
}

}  // namespace lykta::mqtt
