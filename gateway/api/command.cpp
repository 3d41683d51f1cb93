#include "gateway/api/command.hpp"

#include <utility>

namespace lykta::api {

Responder::Responder(Send send) : send_(std::move(send)) {}
Responder::Responder(Responder&& other) noexcept : send_(std::exchange(other.send_, nullptr)) {}
Responder& Responder::operator=(Responder&& other) noexcept {
    if (this != &other) {
        if (send_) error(error_code::internal, "request dropped without an answer");
        send_ = std::exchange(other.send_, nullptr);
    }
    return *this;
}
Responder::~Responder() {
    if (send_) error(error_code::internal, "request dropped without an answer");
}

void Responder::ok(nlohmann::json data) {
    if (!send_) return;
    auto send = std::exchange(send_, nullptr);
    send({{"status", "ok"}, {"data", std::move(data)}});
}

void Responder::error(const CommandError& e) {
    if (!send_) return;
    auto send = std::exchange(send_, nullptr);
    nlohmann::json err{{"code", e.code}, {"message", e.message}};
    if (!e.field.empty()) err["field"] = e.field;
    send({{"status", "error"}, {"error", std::move(err)}});
}

void Responder::error(std::string code, std::string message, std::string field) {
    error(CommandError{std::move(code), std::move(message), std::move(field)});
}

nlohmann::json response_envelope(const nlohmann::json& id, nlohmann::json body) {
    nlohmann::json out{{"id", id}};
    for (auto& [key, value] : body.items()) out[key] = std::move(value);
    return out;
}

}  // namespace lykta::api
