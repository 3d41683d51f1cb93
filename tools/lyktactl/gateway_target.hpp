#pragma once
// How lyktactl reaches the gateway a verb works on: the daemon's control
// socket on this box (--config / --socket), or any gateway through the
// platform's broker (--broker URI --gateway ID). Verbs call ask() and never
// learn which transport carried the request: one implementation per verb.
#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "broker_session.hpp"

namespace lykta::ctl {

// One request, one response envelope ({"status":"ok","data":...} or
// {"status":"error","error":{...}}). Throws TransportError or AnswerTimeout.
class Transport {
public:
    virtual ~Transport() = default;
    virtual nlohmann::json ask(const std::string& command, const nlohmann::json& args,
                               std::chrono::milliseconds timeout) = 0;
};

struct GatewayTarget {
    std::string config_path = "/etc/lykta/lykta.yaml";
    std::string socket_override;  // --socket
    BrokerOptions broker;         // --broker and its credentials (or lyktactl.yaml)
    std::string gateway;          // --gateway: work on this gateway through the broker
    std::chrono::milliseconds timeout{std::chrono::seconds(10)};  // --timeout
    bool json = false;                                            // --json given before the verb

    bool remote() const { return !gateway.empty(); }
    // The socket path; throws TransportError with the config's problems when
    // the socket has to come from a config that does not load.
    std::string socket() const;
    // Built on first use, kept for the verb's further requests.
    Transport& transport() const;

private:
    mutable std::unique_ptr<Transport> transport_;
};

// Sends one command and returns the response envelope. `at_least` raises the
// timeout for commands that take long by nature (commissioning a bus).
nlohmann::json ask(const GatewayTarget& target, const std::string& command, const nlohmann::json& args,
                   std::chrono::milliseconds at_least = std::chrono::milliseconds(0));

// Prints an error envelope to stderr as "lyktactl: CODE: message (field)" and
// returns the exit status for it (exit_failed).
int report_error(const nlohmann::json& response);

}  // namespace lykta::ctl
