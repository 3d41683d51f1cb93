#include "broker_session.hpp"

#include <cstdio>

#include <unistd.h>

#include <random>

#include "gateway/mqtt/connect_options.hpp"
#include "gateway/mqtt/tcp_nodelay.hpp"
#include "transport_errors.hpp"

namespace lykta::ctl {
namespace {

std::string make_client_id() {
    char host[64] = "";
    ::gethostname(host, sizeof host - 1);
    std::random_device random;
    return "lyktactl-" + std::string(host) + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(random() % 1000000);
}

std::string reason_of(const ::mqtt::exception& e) {
    std::string text = e.get_message();
    if (text.empty()) text = e.what();
    if (e.get_reason_code() != 0) text += " (reason code " + std::to_string(e.get_reason_code()) + ")";
    return text;
}

}  // namespace

BrokerSession::BrokerSession(const BrokerOptions& options, std::chrono::milliseconds timeout)
    : options_(options), client_id_(make_client_id()) {
    if (!options_.password_file.empty()) {
        try {
            password_ = mqtt::read_password_file(options_.password_file, nullptr);
        } catch (const std::exception& e) {
            throw TransportError(std::string("--password-file: ") + e.what());
        }
    }
    if (options_.mqtt_version == 3) {
        connect(3, timeout);
        return;
    }
    try {
        connect(5, timeout);
    } catch (const TransportError& v5_error) {
        if (options_.mqtt_version == 5) throw;
        // Brokers without MQTT 5 refuse it (0x84) or close the connection.
        try {
            connect(3, timeout);
        } catch (const TransportError& v3_error) {
            throw TransportError(std::string(v3_error.what()) + "; with MQTT 5: " + v5_error.what());
        }
    }
}

BrokerSession::~BrokerSession() {
    if (!client_) return;
    try {
        if (client_->is_connected()) client_->disconnect()->wait_for(std::chrono::seconds(2));
    } catch (const ::mqtt::exception&) {
        // Leaving anyway: the broker drops the session when the socket closes.
    }
}

void BrokerSession::connect(int version, std::chrono::milliseconds timeout) {
    client_ = std::make_unique<::mqtt::async_client>(
        options_.uri, client_id_, ::mqtt::create_options(version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1));
    client_->start_consuming();
    ::mqtt::connect_options_builder builder;
    builder.keep_alive_interval(std::chrono::seconds(30))
        .connect_timeout(std::chrono::duration_cast<std::chrono::seconds>(timeout) + std::chrono::seconds(1))
        .automatic_reconnect(false);
    if (version == 5)
        builder.mqtt_version(MQTTVERSION_5).clean_start(true);
    else
        builder.mqtt_version(MQTTVERSION_3_1_1).clean_session(true);
    if (!options_.username.empty()) builder.user_name(options_.username);
    if (!password_.empty()) builder.password(password_);
    const bool tls = options_.uri.rfind("ssl://", 0) == 0 || options_.uri.rfind("wss://", 0) == 0 ||
                     options_.uri.rfind("mqtts://", 0) == 0;
    if (tls || !options_.ca_file.empty()) {
        ::mqtt::ssl_options_builder ssl;
        if (!options_.ca_file.empty()) ssl.trust_store(options_.ca_file);
        if (!options_.cert_file.empty()) ssl.key_store(options_.cert_file).private_key(options_.key_file);
        ssl.enable_server_cert_auth(true).verify(options_.verify_hostname);
        builder.ssl(ssl.finalize());
    }
    const std::string protocol = version == 5 ? "MQTT 5" : "MQTT 3.1.1";
    try {
        auto token = client_->connect(builder.finalize());
        if (!token->wait_for(timeout))
            throw TransportError("broker " + options_.uri + " did not accept the connection within " +
                                 std::to_string(timeout.count() / 1000.0).substr(0, 4) + " s (" + protocol +
                                 ")");
    } catch (const ::mqtt::exception& e) {
        throw TransportError("cannot connect to broker " + options_.uri + " (" + protocol +
                             "): " + reason_of(e));
    }
    v5_ = version == 5;
    // Nagle would hold a request behind the PUBACK of the previous answer
    // until the broker's delayed ACK: ~40 ms per round trip (tcp_nodelay.hpp).
    mqtt::disable_nagle_towards(mqtt::port_of_uri(options_.uri.c_str()));
}

void BrokerSession::subscribe(const std::vector<std::string>& filters, int qos) {
    if (filters.empty()) return;
    auto refused = [&](const std::string& filter, int code) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned>(code));
        return TransportError("broker " + options_.uri + " refused the subscription to " + filter +
                              ": reason " + hex);
    };
    std::vector<::mqtt::ReasonCode> codes;
    try {
        auto topics = ::mqtt::string_collection::create(filters);
        std::vector<int> levels(filters.size(), qos);
        auto token = client_->subscribe(topics, levels);
        if (!token->wait_for(std::chrono::seconds(30)))
            throw TransportError("broker " + options_.uri + " did not confirm the subscription to " +
                                 filters.front() + " within 30 s");
        try {
            codes = token->get_subscribe_response().get_reason_codes();
        } catch (const ::mqtt::missing_response&) {
            // No SUBACK details kept by the library: success as such.
        }
    } catch (const ::mqtt::exception& e) {
        // Paho reports a single refused filter as a failed token with the SUBACK code.
        if (e.get_reason_code() >= 0x80) throw refused(filters.front(), e.get_reason_code());
        throw TransportError("broker " + options_.uri + " refused the subscription to " + filters.front() +
                             ": " + reason_of(e));
    }
    // A SUBACK reason code >= 0x80 is a refusal (MQTT 5.0 §3.9.3; 3.1.1 §3.9.3,
    // 0x80 Failure), e.g. an ACL denying the filter: unchecked, every answer would
    // be waited for in vain and the gateway blamed.
    for (std::size_t i = 0; i < codes.size(); ++i)
        if (static_cast<int>(codes[i]) >= 0x80)
            throw refused(filters[std::min(i, filters.size() - 1)], static_cast<int>(codes[i]));
}

void BrokerSession::sync(std::chrono::milliseconds timeout) {
    const std::string marker = options_.prefix + "/_lyktactl/" + client_id_ + "/sync";
    const std::string body = std::to_string(++syncs_);
    subscribe({marker}, 0);
    publish(::mqtt::make_message(marker, body, 1, false));
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        ::mqtt::const_message_ptr message;
        if (!client_->try_consume_message_until(&message, deadline))
            throw TransportError("broker " + options_.uri + " did not deliver lyktactl's own marker within " +
                                 std::to_string(timeout.count()) + " ms");
        if (!message) throw TransportError("lost the connection to broker " + options_.uri);
        if (message->get_topic() == marker && message->to_string() == body) return;
        held_.push_back(std::move(message));
    }
}

void BrokerSession::publish(::mqtt::message_ptr message) {
    try {
        client_->publish(std::move(message));
    } catch (const ::mqtt::exception& e) {
        throw TransportError("cannot publish to broker " + options_.uri + ": " + reason_of(e));
    }
}

::mqtt::const_message_ptr BrokerSession::next(std::chrono::steady_clock::time_point deadline) {
    if (held_next_ < held_.size()) {
        auto message = std::move(held_[held_next_++]);
        if (held_next_ == held_.size()) {
            held_.clear();
            held_next_ = 0;
        }
        return message;
    }
    ::mqtt::const_message_ptr message;
    if (!client_->try_consume_message_until(&message, deadline)) return nullptr;
    if (!message) throw TransportError("lost the connection to broker " + options_.uri);
    return message;
}

}  // namespace lykta::ctl
