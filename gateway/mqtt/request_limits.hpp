#pragma once
// The request limits the `mqtt:` section sets (max_payload, rate_limit_per_s;
// docs/config.md). They bound every transport's requests, the control socket's too:
// the daemon's one command router is built with them.
#include "gateway/api/command_router.hpp"
#include "gateway/config/model.hpp"

namespace lykta::mqtt {

api::RouterLimits request_limits(const config::MqttConfig& mqtt);

}  // namespace lykta::mqtt
