#include "daemon_connection.hpp"

#include <iostream>
#include <stdexcept>

#include "gateway/config/loader.hpp"
#include "gateway/control/control_client.hpp"

namespace lykta::ctl {

std::string DaemonAddress::socket() const {
    if (!socket_override.empty()) return socket_override;
    auto loaded = config::load_file(config_path);
    if (!loaded.config) {
        std::string text = config_path + " does not load, so the control socket is unknown (use --socket):";
        for (const auto& d : loaded.diagnostics) text += "\n  " + d.to_string();
        throw std::runtime_error(text);
    }
    return loaded.config->control.socket;
}

nlohmann::json ask(const DaemonAddress& address, const std::string& command, const nlohmann::json& args,
                   std::chrono::milliseconds timeout) {
    return control::call(address.socket(), command, args, timeout);
}

int report_error(const nlohmann::json& response) {
    const auto& error = response.value("error", nlohmann::json::object());
    std::cerr << "lyktactl: " << error.value("code", "error") << ": "
              << error.value("message", "(no message)");
    if (error.contains("field")) std::cerr << " (" << error["field"].get<std::string>() << ")";
    std::cerr << "\n";
    return 1;
}

}  // namespace lykta::ctl
