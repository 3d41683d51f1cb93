#pragma once
// How lyktactl finds and asks the running daemon: the control socket named in
// the gateway's config (control.socket), or --socket when given.
#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

namespace lykta::ctl {

struct DaemonAddress {
    std::string config_path;
    std::string socket_override;  // --socket
    // The socket path; throws std::runtime_error with the config's problems
    // when the socket has to come from a config that does not load.
    std::string socket() const;
};

// Sends one command; returns the response envelope. Throws on transport failures.
nlohmann::json ask(const DaemonAddress& address, const std::string& command, const nlohmann::json& args,
                   std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Prints an error envelope to stderr as "lyktactl: CODE: message (field)" and
// returns the exit status for it (1).
int report_error(const nlohmann::json& response);

}  // namespace lykta::ctl
