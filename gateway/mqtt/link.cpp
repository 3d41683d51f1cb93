// First cut of the Paho-based uplink: presence (status, will, info), request
// dispatch and direct publishing. Outbox, coalescing, TLS and the full
// envelope come with the MQTT API issue.
#include "gateway/mqtt/link.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <mqtt/async_client.h>

#include "lykta/version.hpp"

namespace lykta::mqtt {
namespace {

std::string rfc3339(SystemTime t) {
    auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
    std::time_t tt = std::chrono::system_clock::to_time_t(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

class PahoLink final : public Link {
public:
    PahoLink(asio::io_context& io, const config::Config& config, store::Database& db, const Clock& clock)
        : io_(io),
          config_(config),
          db_(db),
          clock_(clock),
          prefix_(config.mqtt.prefix + "/" + config.gateway.id),
          client_(config.mqtt.uri, config.mqtt.client_id.empty() ? config.gateway.id : config.mqtt.client_id,
                  ::mqtt::create_options(config.mqtt.version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1)) {
        client_.set_connected_handler([this](const std::string&) { asio::post(io_, [this] { on_connected(); }); });
        client_.set_connection_lost_handler([this](const std::string& cause) {
            asio::post(io_, [this, cause] { spdlog::warn("mqtt: connection lost ({})", cause); });
        });
        client_.set_message_callback([this](::mqtt::const_message_ptr msg) {
            asio::post(io_, [this, msg] { on_message(msg); });
        });
    }

    void start() override {
        session_ = db_.increment("mqtt.session");
        auto will = ::mqtt::message(topic("status"), status_payload("offline", "connection-lost").dump(), 1, true);
        auto builder = ::mqtt::connect_options_builder();
        builder.keep_alive_interval(std::chrono::seconds(config_.mqtt.keepalive_s))
            .automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(60))
            .will(std::move(will));
        if (config_.mqtt.version == 5) builder.mqtt_version(MQTTVERSION_5).clean_start(true);
        else builder.mqtt_version(MQTTVERSION_3_1_1).clean_session(true);
        try {
            client_.connect(builder.finalize());
        } catch (const ::mqtt::exception& e) {
            spdlog::error("mqtt: cannot start connecting to {}: {}", config_.mqtt.uri, e.what());
        }
    }

    void shutdown(std::function<void()> done) override {
        try {
            if (client_.is_connected()) {
                client_.publish(topic("status"), status_payload("offline", "shutdown").dump(), 1, true)
                    ->wait_for(std::chrono::seconds(2));
                client_.disconnect()->wait_for(std::chrono::seconds(2));
            }
        } catch (const ::mqtt::exception& e) {
            spdlog::warn("mqtt: shutdown: {}", e.what());
        }
        done();
    }

    void publish_state(const std::string& subtopic, nlohmann::json payload) override {
        publish(topic(subtopic), payload.dump(), true);
    }
    void clear_state(const std::string& subtopic) override { publish(topic(subtopic), "", true); }
    void publish_event(nlohmann::json event) override { publish(topic("event"), event.dump(), false); }
    void publish_telemetry(nlohmann::json telemetry) override {
        publish(topic("telemetry"), telemetry.dump(), false);
    }
    void add_command(const std::string& path, CommandHandler handler) override {
        handlers_[path] = std::move(handler);
    }

private:
    std::string topic(const std::string& sub) const { return prefix_ + "/" + sub; }

    nlohmann::json status_payload(const std::string& state, const std::string& reason) const {
        nlohmann::json p{{"state", state}, {"session", session_}, {"version", lykta::version}};
        if (!reason.empty()) p["reason"] = reason;
        return p;
    }

    void on_connected() {
        spdlog::info("mqtt: connected to {}", config_.mqtt.uri);
        // The will carries the session of this process; each reconnect is a new session.
        auto p = status_payload("online", "");
        p["since"] = rfc3339(clock_.now());
        publish(topic("status"), p.dump(), true);
        nlohmann::json info{{"id", config_.gateway.id},
                            {"name", config_.gateway.name},
                            {"version", lykta::version},
                            {"api", 1},
                            {"site",
                             {{"latitude", config_.site.latitude},
                              {"longitude", config_.site.longitude},
                              {"timezone", config_.site.timezone}}}};
        publish(topic("info"), info.dump(), true);
        try {
            client_.subscribe(topic("request/#"), config_.mqtt.qos);
        } catch (const ::mqtt::exception& e) {
            spdlog::error("mqtt: subscribe failed: {}", e.what());
        }
    }

    void on_message(const ::mqtt::const_message_ptr& msg) {
        const std::string request_prefix = topic("request/");
        const auto& t = msg->get_topic();
        if (t.rfind(request_prefix, 0) != 0) return;
        std::string path = t.substr(request_prefix.size());
        nlohmann::json args = nlohmann::json::parse(msg->get_payload_str(), nullptr, false);
        nlohmann::json id;
        if (args.is_object() && args.contains("id")) id = args["id"];
        // By value: handlers may answer later (modbus/write after its readback).
        auto send = [this, path, id](nlohmann::json body) {
            if (!id.is_null()) body["id"] = id;
            publish(topic("response/" + path), body.dump(), false);
        };
        Responder responder(send);
        if (args.is_discarded() || !args.is_object()) {
            responder.error(error_code::bad_json, "payload is not a JSON object");
            return;
        }
        auto it = handlers_.find(path);
        if (it == handlers_.end()) {
            responder.error(error_code::unknown_command, "no command '" + path + "'");
            return;
        }
        it->second(args, std::move(responder));
    }

    void publish(const std::string& t, const std::string& payload, bool retained) {
        if (!client_.is_connected()) return;
        try {
            client_.publish(t, payload.data(), payload.size(), config_.mqtt.qos, retained);
        } catch (const ::mqtt::exception& e) {
            spdlog::warn("mqtt: publish to {} failed: {}", t, e.what());
        }
    }

    asio::io_context& io_;
    const config::Config& config_;
    store::Database& db_;
    const Clock& clock_;
    std::string prefix_;
    ::mqtt::async_client client_;
    std::int64_t session_ = 0;
    std::map<std::string, CommandHandler> handlers_;
};

}  // namespace

std::unique_ptr<Link> Link::create(asio::io_context& io, const config::Config& config, store::Database& db,
                                   const Clock& clock) {
    return std::make_unique<PahoLink>(io, config, db, clock);
}

}  // namespace lykta::mqtt
