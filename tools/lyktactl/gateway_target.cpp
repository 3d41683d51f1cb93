#include "gateway_target.hpp"

#include <iostream>

#include "gateway/config/loader.hpp"
#include "gateway/control/control_client.hpp"
#include "json_fields.hpp"
#include "remote_gateway.hpp"
#include "requester.hpp"
#include "transport_errors.hpp"

namespace lykta::ctl {
namespace {

class ControlSocket : public Transport {
public:
    explicit ControlSocket(std::string path) : path_(std::move(path)) {}
    nlohmann::json ask(const std::string& command, const nlohmann::json& args,
                       std::chrono::milliseconds timeout) override {
        try {
            return checked_envelope(control::call(path_, command, args, timeout), "on " + path_,
                                    "the control socket");
        } catch (const control::ControlTimeout& e) {
            throw AnswerTimeout(e.what());
        } catch (const control::ControlError& e) {
            throw TransportError(e.what());
        }
    }

private:
    std::string path_;
};

}  // namespace

std::string GatewayTarget::socket() const {
    if (!socket_override.empty()) return socket_override;
    auto loaded = config::load_file(config_path);
    if (!loaded.config) {
        std::string text = config_path + " does not load, so the control socket is unknown (use --socket):";
        for (const auto& d : loaded.diagnostics) text += "\n  " + d.to_string();
        throw TransportError(text);
    }
    return loaded.config->control.socket;
}

Transport& GatewayTarget::transport() const {
    if (!transport_) {
        if (remote()) {
            if (broker.uri.empty())
                throw TransportError("--gateway " + gateway +
                                     " needs --broker URI (or broker: in ~/.config/lykta/lyktactl.yaml)");
            transport_ = std::make_unique<RemoteGateway>(broker, gateway, timeout);
        } else {
            transport_ = std::make_unique<ControlSocket>(socket());
        }
    }
    return *transport_;
}

nlohmann::json ask(const GatewayTarget& target, const std::string& command, const nlohmann::json& args,
                   std::chrono::milliseconds at_least) {
    return target.transport().ask(command, args, std::max(target.timeout, at_least));
}

int report_error(const nlohmann::json& response) {
    const auto error = object_field(response, "error");
    std::cerr << "lyktactl: " << text_field(error, "code", "error") << ": "
              << text_field(error, "message", "(no message)");
    if (const auto f = text_field(error, "field"); !f.empty()) std::cerr << " (" << f << ")";
    std::cerr << "\n";
    return exit_failed;
}

}  // namespace lykta::ctl
