#include "lykta-sim/fleet/sim_gateway.hpp"

#include <cstdio>

#include "gateway/core/rfc3339.hpp"
#include "gateway/mqtt/connect_options.hpp"
#include "gateway/mqtt/payloads.hpp"
#include "gateway/mqtt/publish_window.hpp"
#include "gateway/mqtt/tcp_nodelay.hpp"
#include "lykta/version.hpp"

namespace lykta::sim {
namespace {

using api::Responder;
using nlohmann::json;

std::string gateway_id(const FleetOptions& options, int index) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%04d", options.first + index);
    return options.id_prefix + digits;
}

// A small cabinet: one bus, `luminaires` gear in one area.
config::Config cabinet(const FleetOptions& options, int index) {
    config::Config c;
    c.gateway.id = gateway_id(options, index);
    c.gateway.name = "Simulated cabinet " + c.gateway.id;
    c.site.latitude = 56.4296;
    c.site.longitude = 12.8532;
    c.site.timezone = "Europe/Stockholm";
    c.mqtt.prefix = options.prefix;
    c.mqtt.uris = options.brokers;
    c.mqtt.uri = options.brokers.front();
    c.mqtt.version = options.version;
    c.mqtt.keepalive_s = options.keepalive_s;
    c.mqtt.heartbeat_s = options.heartbeat_s;
    c.mqtt.qos = options.qos;
    c.mqtt.subscribe_qos = options.subscribe_qos;
    config::DaliBus bus;
    bus.id = "bus1";
    bus.interface.protocol = "sim";
    bus.interface.host = "fleet";
    c.dali.buses.push_back(bus);
    config::Area area;
    area.id = "area1";
    area.name = "Area 1";
    area.profile = "night";
    c.areas.push_back(area);
    for (int i = 0; i < options.luminaires; ++i) {
        config::Luminaire l;
        l.id = "L-" + std::to_string(i + 1);
        l.bus = "bus1";
        l.address = i % 64;
        l.area = "area1";
        c.luminaires.push_back(l);
    }
    return c;
}

std::string now_utc() {
    return rfc3339_utc(std::chrono::system_clock::now());
}

}  // namespace

SimGateway::SimGateway(asio::io_context& io, const FleetOptions& options, int index, FleetCounters& counters)
    : io_(io),
      options_(options),
      counters_(counters),
      config_(cabinet(options, index)),
      topics_(options.prefix, config_.gateway.id),
      brokers_(options.brokers, options.version),
      backoff_(std::chrono::seconds(1), std::chrono::seconds(60)),
      router_({64 * 1024, 256, 50, 32}, [this] { asio::post(io_, [this] { router_.drain(); }); }),
      client_(options.brokers.front(), config_.gateway.id,
              ::mqtt::create_options(options.version == 3 ? MQTTVERSION_3_1_1 : MQTTVERSION_5, 4096)),
      connect_listener_(std::make_shared<mqtt::TokenListener>([this](const ::mqtt::token& tok, bool ok) {
          bool refused = !ok && mqtt::refuses_mqtt5(tok.get_reason_code(), tok.get_return_code());
          asio::post(io_, [this, ok, refused] { ok ? on_connected() : on_failed(refused); });
      })),
      reconnect_timer_(io),
      heartbeat_timer_(io),
      started_(std::chrono::steady_clock::now()) {
    for (const auto& l : config_.luminaires) levels_[l.id] = 0.0;
    client_.set_connection_lost_handler([this](const std::string&) {
        asio::post(io_, [this] {
            connected_ = false;
            on_failed(false, true);
        });
    });
    client_.set_message_callback(
        [this](::mqtt::const_message_ptr msg) { asio::post(io_, [this, msg] { on_message(msg); }); });
    add_commands();
}

SimGateway::~SimGateway() {
    try {
        if (client_.is_connected()) client_.disconnect()->wait_for(std::chrono::seconds(2));
    } catch (const ::mqtt::exception&) {
    }
}

void SimGateway::start() {
    connect();
    heartbeat();
}

void SimGateway::stop() {
    stopping_ = true;
    reconnect_timer_.cancel();
    heartbeat_timer_.cancel();
    try {
        if (client_.is_connected()) {
            auto payload = mqtt::status_offline(session_, "shutdown").dump();
            client_.publish(topics_.status(), payload.data(), payload.size(), 1, true)
                ->wait_for(std::chrono::seconds(2));
            client_.disconnect()->wait_for(std::chrono::seconds(2));
        }
    } catch (const ::mqtt::exception&) {
    }
}

void SimGateway::connect() {
    if (stopping_) return;
    ++session_;  // in memory: a simulated gateway has no store
    ::mqtt::message will(topics_.status(), mqtt::status_offline(session_, "connection-lost").dump(), 1, true);
    try {
        client_.connect(
            mqtt::make_connect_options(config_.mqtt, "", std::move(will), brokers_.uri(), brokers_.version()),
            nullptr, *connect_listener_);
    } catch (const ::mqtt::exception&) {
        on_failed(false);
    }
}

void SimGateway::on_failed(bool refused_v5, bool lost) {
    if (stopping_) return;
    if (brokers_.failed(refused_v5)) return connect();
    ++counters_.connect_failures;
    reconnect_timer_.expires_after(lost ? backoff_.after_loss() : backoff_.next());
    reconnect_timer_.async_wait([this](const asio::error_code& ec) {
        if (!ec) connect();
    });
}

void SimGateway::on_connected() {
    if (stopping_) return;
    connected_ = true;
    brokers_.connected();
    backoff_.reset();
    ++counters_.connects;
    // As lyktad does (gateway/mqtt/link.cpp): Paho leaves Nagle on, and an
    // answer written behind the request's PUBACK then waits for the broker's
    // delayed ACK (40 ms steps on RabbitMQ, docs/benchmarks.md).
    mqtt::disable_nagle_towards(mqtt::port_of_uri(brokers_.uri().c_str()));
    for (const auto& filter : {topics_.request_filter(), topics_.status()}) {
        try {
            client_.subscribe(filter, config_.mqtt.subscribed_qos());
        } catch (const ::mqtt::exception&) {
        }
    }
    publish(topics_.status(), mqtt::status_online(session_, std::chrono::system_clock::now(), lykta::version),
            true, 1);
    publish_retained_all();
}

void SimGateway::publish(const std::string& topic, const json& payload, bool retained, int qos) {
    if (!connected_) return;
    try {
        client_.publish(::mqtt::make_message(topic, payload.dump(), qos, retained));
    } catch (const ::mqtt::exception&) {
        // Paho's queue is full or the connection just went: the next connect republishes.
    }
}

void SimGateway::publish_retained_all() {
    mqtt::InfoFacts facts{lykta::version, "0000000000000000", router_.commands(), {}};
    facts.extra["broker"] = {{"uri", brokers_.uri()},
                             {"node", brokers_.index() + 1},
                             {"nodes", brokers_.size()},
                             {"protocol", brokers_.protocol_name()}};
    facts.extra["simulated"] = true;
    publish(topics_.info(), mqtt::info(config_, facts), true, options_.qos);
    for (const auto& l : config_.luminaires)
        publish(topics_.at(mqtt::Topics::luminaire_state(l.id)), luminaire_state(l), true, options_.qos);
    publish(topics_.at(mqtt::Topics::area_state("area1")), area_state(), true, options_.qos);
    publish(topics_.alarms(),
            {{"active", json::array()}, {"total", 0}, {"truncated", false}, {"ts", now_utc()}}, true,
            options_.qos);
}

void SimGateway::heartbeat() {
    heartbeat_timer_.expires_after(std::chrono::seconds(options_.heartbeat_s));
    heartbeat_timer_.async_wait([this](const asio::error_code& ec) {
        if (ec) return;
        mqtt::HeartbeatFacts facts;
        facts.uptime_s =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_)
                .count();
        facts.seq = seq_;
        facts.session = session_;
        facts.requests_rejected_busy =
            static_cast<std::int64_t>(router_.counters().rejected_busy + router_.counters().rejected_rate);
        facts.extra["dali"] = {{"bus1", {{"frames", 0}, {"errors", 0}}}};
        publish(topics_.heartbeat(), mqtt::heartbeat(facts), false, 0);
        heartbeat();
    });
}

void SimGateway::on_message(const ::mqtt::const_message_ptr& msg) {
    if (msg->get_topic() == topics_.status()) return on_own_status(*msg);
    auto command = topics_.request_command(msg->get_topic());
    if (!command) return;
    ++counters_.requests;
    std::string response_topic = topics_.response(*command);
    const auto& props = msg->get_properties();
    std::optional<std::string> correlation;
    if (props.contains(::mqtt::property::RESPONSE_TOPIC)) {
        auto requested = ::mqtt::get<std::string>(props, ::mqtt::property::RESPONSE_TOPIC);
        if (mqtt::is_publishable_topic(requested)) response_topic = requested;
    }
    if (props.contains(::mqtt::property::CORRELATION_DATA))
        correlation = ::mqtt::get<std::string>(props, ::mqtt::property::CORRELATION_DATA);
    api::Request request{*command, msg->get_payload_str(), "mqtt",
                         [this, response_topic, correlation](json e) {
                             if (!connected_) return;
                             auto out = ::mqtt::make_message(response_topic, e.dump(), options_.qos, false);
                             if (correlation) {
                                 ::mqtt::properties p;
                                 p.add({::mqtt::property::CORRELATION_DATA, *correlation});
                                 out->set_properties(p);
                             }
                             try {
                                 client_.publish(out);
                             } catch (const ::mqtt::exception&) {
                             }
                         }};
    request.reply_to = api::AnswerCache::reply_to(response_topic, correlation.value_or(""));
    router_.submit(std::move(request), std::chrono::steady_clock::now());
    router_.drain();
}

// The daemon's rule (gateway/mqtt/link.cpp): a live P/status that is not our
// status from an earlier session while connected is a late will; say "online"
// again, same session.
void SimGateway::on_own_status(const ::mqtt::message& msg) {
    if (!connected_ || msg.is_retained()) return;
    if (!mqtt::is_late_will(json::parse(msg.get_payload_str(), nullptr, false), session_)) return;
    ++counters_.late_wills;
    publish(topics_.status(), mqtt::status_online(session_, std::chrono::system_clock::now(), lykta::version),
            true, 1);
    publish_retained_all();
}

json SimGateway::luminaire_state(const config::Luminaire& l) const {
    double level = levels_.at(l.id);
    json reason = override_.is_null()
                      ? json{{"source", "schedule"}, {"detail", "profile night"}, {"until", nullptr}}
                      : json{{"source", "override"}, {"detail", "platform"}, {"until", override_["until"]}};
    return {
        {"level", level},        {"target", level}, {"available", true},           {"lamp_failure", false},
        {"gear_failure", false}, {"area", l.area},  {"reason", std::move(reason)}, {"ts", now_utc()}};
}

json SimGateway::area_state() const {
    double level = levels_.empty() ? 0.0 : levels_.begin()->second;
    return {{"level", level},
            {"mode", override_.is_null() ? (flags_.empty() ? "schedule" : "safety") : "override"},
            {"profile", "night"},
            {"safety", flags_.empty() ? json(nullptr) : flags_.back()},
            {"override", override_},
            {"luminaires", config_.luminaires.size()},
            {"failed", 0},
            {"ts", now_utc()}};
}

json SimGateway::override_object(const std::string& target, double level, const json& args) {
    json until = nullptr;
    if (args.contains("until")) until = args["until"];
    return {
        {"target", target}, {"level", level}, {"source", "platform"}, {"since", now_utc()}, {"until", until}};
}

}  // namespace lykta::sim
