#pragma once
// lyktactl's side of the control socket: one request, one response line.
#include <chrono>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace lykta::control {

class ControlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The daemon took the request but did not answer within the timeout.
class ControlTimeout : public ControlError {
public:
    using ControlError::ControlError;
};

// Sends {"command": command, ...args} to the daemon at `socket_path` and
// returns the response envelope. Throws ControlError naming the socket when
// the daemon cannot be reached, ControlTimeout when it does not answer within `timeout`.
nlohmann::json call(const std::string& socket_path, const std::string& command, const nlohmann::json& args,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace lykta::control
