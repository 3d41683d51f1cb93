#pragma once
// One gateway reached through the broker (--broker URI --gateway ID): the
// remote transport of every single-gateway verb. It also watches the
// gateway's P/status and P/heartbeat so that a timeout can say when the
// gateway was last seen.
#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "broker_session.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/mqtt/topics.hpp"
#include "gateway_target.hpp"
#include "requester.hpp"

namespace lykta::ctl {

class RemoteGateway : public Transport {
public:
    RemoteGateway(const BrokerOptions& broker, const std::string& gateway_id,
                  std::chrono::milliseconds timeout);

    // Throws AnswerTimeout ("gateway X did not answer C within 10 s; last seen
    // online 3 min ago") or TransportError.
    nlohmann::json ask(const std::string& command, const nlohmann::json& args,
                       std::chrono::milliseconds timeout) override;

private:
    void note(const ::mqtt::const_message_ptr& message);
    std::string last_seen() const;

    std::string gateway_id_;
    BrokerSession session_;
    mqtt::Topics topics_;
    Requester requester_;
    nlohmann::json status_;  // the retained P/status, null until seen
    std::optional<SystemTime> last_heartbeat_;
};

// "42 s", "3 min", "5 h", "2 d": how long ago, as an operator reads it.
std::string age_text(std::chrono::seconds age);

}  // namespace lykta::ctl
