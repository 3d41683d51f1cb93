#pragma once
// Requests to gateways through the broker, by the MQTT API's rules
// (docs/mqtt-api.md, "Commands"): with MQTT 5 each request carries a Response
// Topic inside its gateway's own subtree (P/response/_lyktactl/<client id>, so
// the shipped ACL lets the gateway publish there) and Correlation Data; on
// 3.1.1 the answer comes on P/response/<command> and is matched by the request
// id. Many gateways are asked at once with a bound on outstanding requests;
// a `too_busy` answer (the gateway's rate limit) is asked again a second later.
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker_session.hpp"

namespace lykta::ctl {

struct GatewayRequest {
    std::string gateway;
    std::string command;
    nlohmann::json args = nlohmann::json::object();
};

// The answer envelope as the MQTT API defines it (docs/mqtt-api.md, "Commands"):
// an object with status "ok" and an object `data`, or status "error" and an
// object `error` with string `code` and `message`. Anything else becomes an
// error answer with code `bad_answer` naming the gateway and the topic, so
// callers read the envelope's fields without checking their types again.
nlohmann::json checked_envelope(nlohmann::json envelope, const std::string& gateway,
                                const std::string& topic);

class Requester {
public:
    explicit Requester(BrokerSession& session);

    // One answer envelope per request, in order; nullopt when the gateway did
    // not answer within `timeout` of its request going out. Messages on other
    // topics the session is subscribed to go to `other`.
    std::vector<std::optional<nlohmann::json>> ask(
        const std::vector<GatewayRequest>& requests, std::size_t concurrency,
        std::chrono::milliseconds timeout,
        const std::function<void(const ::mqtt::const_message_ptr&)>& other = {});

private:
    void subscribe_answers(const std::string& command);

    BrokerSession& session_;
    std::string tag_;  // "_lyktactl/<client id>"
    std::set<std::string> subscribed_;
    // Request ids must be new for every request: a gateway answers a repeated
    // id from its answer cache without running it (docs/mqtt-api.md,
    // idempotent requests), so two Requesters of one process (fleet report's
    // period and comparison period) must not both count from 1.
    std::string id_base_;
    long next_id_ = 0;
};

}  // namespace lykta::ctl
