#include "remote_gateway.hpp"

#include "json_fields.hpp"

#include "gateway/core/rfc3339.hpp"
#include "transport_errors.hpp"

namespace lykta::ctl {
namespace {

std::string seconds_text(std::chrono::milliseconds t) {
    const auto ms = t.count();
    if (ms % 1000 == 0) return std::to_string(ms / 1000);
    auto text = std::to_string(ms / 1000.0);
    return text.substr(0, text.find('.') + 2);
}

}  // namespace

std::string age_text(std::chrono::seconds age) {
    const auto s = std::max<long long>(0, age.count());
    if (s < 120) return std::to_string(s) + " s";
    if (s < 2 * 3600) return std::to_string(s / 60) + " min";
    if (s < 2 * 86400) return std::to_string(s / 3600) + " h";
    return std::to_string(s / 86400) + " d";
}

RemoteGateway::RemoteGateway(const BrokerOptions& broker, const std::string& gateway_id,
                             std::chrono::milliseconds timeout)
    : gateway_id_(gateway_id),
      session_(broker, timeout),
      topics_(broker.prefix, gateway_id),
      requester_(session_) {
    session_.subscribe({topics_.status(), topics_.heartbeat()});
}

void RemoteGateway::note(const ::mqtt::const_message_ptr& message) {
    if (message->get_topic() == topics_.status()) {
        auto parsed = nlohmann::json::parse(message->to_string(), nullptr, false);
        status_ = parsed.is_object() ? parsed : nlohmann::json();
    } else if (message->get_topic() == topics_.heartbeat()) {
        last_heartbeat_ = std::chrono::system_clock::now();
    }
}

std::string RemoteGateway::last_seen() const {
    const auto now = std::chrono::system_clock::now();
    auto ago = [&](SystemTime t) {
        return age_text(std::chrono::duration_cast<std::chrono::seconds>(now - t)) + " ago";
    };
    if (last_heartbeat_) return "last seen online " + ago(*last_heartbeat_) + " (its heartbeat)";
    if (!status_.is_object())
        return "the broker holds no status for it under " + topics_.root() +
               " (is the id or --prefix right?)";
    if (text_field(status_, "state") == "online") {
        auto since = parse_rfc3339(text_field(status_, "since"));
        return "last seen online " + (since ? ago(*since) : std::string("at an unknown time")) +
               " (its retained status; no heartbeat during the wait)";
    }
    if (text_field(status_, "state").empty()) return "its retained status has no valid \"state\"";
    return "it is offline (" + text_field(status_, "reason", "no reason given") + ")";
}

nlohmann::json RemoteGateway::ask(const std::string& command, const nlohmann::json& args,
                                  std::chrono::milliseconds timeout) {
    auto answers = requester_.ask({{gateway_id_, command, args}}, 1, timeout,
                                  [this](const ::mqtt::const_message_ptr& m) { note(m); });
    if (!answers.front())
        throw AnswerTimeout("gateway " + gateway_id_ + " did not answer " + command + " within " +
                            seconds_text(timeout) + " s; " + last_seen());
    return *answers.front();
}

}  // namespace lykta::ctl
