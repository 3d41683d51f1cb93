// The Paho-based uplink. Threading: Paho calls back on its own threads; every
// callback only posts to the io_context, which owns all state here.
#include "gateway/mqtt/link.hpp"

#include <spdlog/spdlog.h>

#include <MQTTAsync.h>
#include <mqtt/async_client.h>
#include <map>

#include "gateway/api/answer_cache.hpp"
#include "gateway/mqtt/backoff.hpp"
#include "gateway/mqtt/broker_list.hpp"
#include "gateway/mqtt/connect_options.hpp"
#include "gateway/mqtt/discovery_record.hpp"
#include "gateway/mqtt/ha_discovery.hpp"
#include "gateway/mqtt/outbox.hpp"
#include "gateway/mqtt/payloads.hpp"
#include "gateway/mqtt/publish_window.hpp"
#include "gateway/mqtt/retained_state.hpp"
#include "gateway/mqtt/tcp_nodelay.hpp"
#include "gateway/mqtt/topics.hpp"
#include "lykta/version.hpp"

namespace lykta::mqtt {
namespace {

constexpr auto coalesce_window = std::chrono::milliseconds(50);
constexpr std::size_t outbox_window = 256;  // outbox messages handed to the publish window
constexpr auto shutdown_wait = std::chrono::seconds(2);
constexpr auto shutdown_drain = std::chrono::seconds(1);  // waiting for PUBACKs at shutdown
// How often unreadable credential files are read again (a local file: cheap, and an
// operator provisioning one should not wait out a 60 s connect backoff).
constexpr auto credentials_retry = std::chrono::seconds(2);
// Paho refuses publishes beyond this many queued-but-unsent commands, even while
// connected (its default is 100). Our own bounds keep the real number far lower:
// the request queue, the outbox window and one message per retained topic.
constexpr int paho_command_queue = 65536;

// The nodes to dial: `uris` when the config lists several; otherwise `uri`
// (code that builds a config, like the tests, sets just that).
std::vector<std::string> broker_nodes(const config::MqttConfig& mqtt) {
    return mqtt.uris.size() > 1 ? mqtt.uris : std::vector<std::string>{mqtt.uri};
}

// The broker's Receive Maximum from a successful connect token (0 = not given).
int receive_maximum_of(const ::mqtt::token& tok) {
    try {
        const auto& props = tok.get_connect_response().get_properties();
        if (props.contains(::mqtt::property::RECEIVE_MAXIMUM))
            return ::mqtt::get<std::uint16_t>(props, ::mqtt::property::RECEIVE_MAXIMUM);
    } catch (const std::exception&) {
    }
    return 0;
}

class PahoLink final : public Link {
public:
    PahoLink(asio::io_context& io, Timers& timers, const config::Config& config, store::Database& db,
             const Clock& clock, api::CommandRouter& router)
        : io_(io),
          timers_(timers),
          config_(config),
          db_(db),
          clock_(clock),
          topics_(config.mqtt.prefix, config.gateway.id),
          window_(io, client_),  // keeps a reference only; client_ is built right after
          connect_listener_([this](const ::mqtt::token& tok, bool ok) {
              int reason = tok.get_reason_code() ? tok.get_reason_code() : tok.get_return_code();
              bool refused_v5 = !ok && refuses_mqtt5(tok.get_reason_code(), tok.get_return_code());
              int receive_maximum = ok ? receive_maximum_of(tok) : 0;
              asio::post(io_, [this, ok, reason, refused_v5, receive_maximum] {
                  ok ? on_connected(receive_maximum) : on_connect_failed(reason, refused_v5);
              });
          }),
          // Created for MQTT 5 unless 3.1.1 is forced: such a client can still
          // connect with 3.1.1 (the fallback), not the other way round.
          client_(config.mqtt.uri, config.mqtt.client_id.empty() ? config.gateway.id : config.mqtt.client_id,
                  ::mqtt::create_options(config.mqtt.version == 3 ? MQTTVERSION_3_1_1 : MQTTVERSION_5,
                                         paho_command_queue)),
          router_(router),
          outbox_(db, static_cast<std::size_t>(config.mqtt.outbox_max_mb) * 1024 * 1024),
          retained_(db),
          discovery_record_(db),
          backoff_(std::chrono::seconds(1), std::chrono::seconds(60)),
          brokers_(broker_nodes(config.mqtt), config.mqtt.version),
          started_(std::chrono::steady_clock::now()) {
        start_seq_ = outbox_.last_seq();
        if (config.mqtt.tls.enabled && !config.mqtt.tls.verify_hostname)
            spdlog::warn(
                "mqtt: TLS hostname verification is OFF (mqtt.tls.verify_hostname: false); any "
                "certificate signed by the CA is accepted for {}",
                config.mqtt.uri);
        client_.set_connection_lost_handler([this](const std::string& cause) {
            asio::post(io_, [this, cause] { on_connection_lost(cause); });
        });
        client_.set_message_callback(
            [this](::mqtt::const_message_ptr msg) { asio::post(io_, [this, msg] { on_message(msg); }); });
        router_.add("republish", [this](const nlohmann::json&, api::Responder r) {
            // The answer goes out ahead of the ~1,000 messages it announces. Behind
            // them it was the first thing a broker drops when a subscriber to
            // everything lags (mosquitto's per-client queue: max_queued_messages,
            // default 1,000): the platform never heard back and asked again.
            if (phase_ != Phase::connected) return r.ok({{"topics", 0}});  // not sent either
            r.ok({{"topics", retained_.size()}});
            republish_all();
        });
    }

    ~PahoLink() override {
        try {
            if (client_.is_connected()) client_.disconnect()->wait_for(shutdown_wait);
        } catch (const ::mqtt::exception&) {
        }
    }

    void on_credentials(std::function<void(const std::string& problem)> listener) override {
        credentials_listener_ = std::move(listener);
    }

    void start() override {
        phase_ = Phase::starting;
        for (const auto& subtopic : retained_.stale(config_)) {
            spdlog::info("mqtt: clearing retained {} (no longer in the configuration)", topics_.at(subtopic));
            retained_.clear(subtopic);
        }
        schedule_heartbeat();
        attempt_connect();
    }

    void shutdown(std::function<void()> done) override {
        reconnect_timer_.cancel();
        heartbeat_timer_.cancel();
        coalesce_timer_.cancel();
        if (phase_ == Phase::connected && client_.is_connected()) {
            flush_dirty();
            // Let the PUBACKs of what is in flight arrive first, so the outbox rows
            // they stand for are deleted and not sent twice after the restart.
            phase_ = Phase::draining;
            drain_then_stop(std::chrono::steady_clock::now() + shutdown_drain, std::move(done));
            return;
        }
        phase_ = Phase::stopping;
        try {
            if (connecting_) client_.disconnect()->wait_for(shutdown_wait);
        } catch (const ::mqtt::exception& e) {
            spdlog::warn("mqtt: shutdown: {}", e.what());
        }
        done();
    }

    void publish_state(const std::string& subtopic, nlohmann::json payload) override {
        retained_.set(subtopic, payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        arm_coalescing();
    }
    void publish_rendered_state(const std::string& subtopic,
                                std::function<nlohmann::json()> render) override {
        retained_.set_rendered(subtopic, [render = std::move(render)] {
            return render().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        });
        arm_coalescing();
    }
    void clear_state(const std::string& subtopic) override {
        retained_.clear(subtopic);
        arm_coalescing();
    }
    void drain_then_stop(std::chrono::steady_clock::time_point deadline, std::function<void()> done) {
        if (window_.in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
            reconnect_timer_ = timers_.after(std::chrono::milliseconds(5),
                                             [this, deadline, done] { drain_then_stop(deadline, done); });
            return;
        }
        phase_ = Phase::stopping;
        delete_acknowledged();  // the loop stops after done(): nothing posted runs any more
        try {
            if (client_.is_connected()) {
                auto payload = status_offline(session_, "shutdown").dump();
                client_.publish(topics_.status(), payload.data(), payload.size(), 1, true)
                    ->wait_for(shutdown_wait);
                client_.disconnect()->wait_for(shutdown_wait);
            }
        } catch (const ::mqtt::exception& e) {
            spdlog::warn("mqtt: shutdown: {}", e.what());
        }
        done();
    }

    void publish_event(nlohmann::json event) override {
        enqueue(OutboxKind::event, "event", std::move(event));
    }
    void publish_telemetry(nlohmann::json telemetry) override {
        enqueue(OutboxKind::telemetry, "telemetry", std::move(telemetry));
    }
    void add_command(const std::string& path, api::CommandHandler handler) override {
        router_.add(path, std::move(handler));
    }
    void add_heartbeat_source(const std::string& name, std::function<nlohmann::json()> source) override {
        heartbeat_sources_[name] = std::move(source);
    }
    void add_info_source(const std::string& name, std::function<nlohmann::json()> source) override {
        info_sources_[name] = std::move(source);
    }

private:
    // draining: shutting down, still connected, waiting for PUBACKs (bounded).
    enum class Phase { idle, starting, connected, down, draining, stopping };

    // --- connection -------------------------------------------------------
    void attempt_connect() {
        if (phase_ == Phase::stopping) return;
        if (!take_credentials()) return;
        // A session number is spent once a connection with it came up; failed
        // attempts reuse it, so the counter tracks real connections.
        if (session_ == 0 || session_used_) {
            try {
                session_ = db_.increment("mqtt.session");
            } catch (const store::StoreError& e) {
                // Disk full or failing: the uplink matters more than the counter.
                // Count on in memory; numbers may repeat after a restart until the store heals.
                ++session_;
                spdlog::error("mqtt: cannot persist session {} ({}); continuing with it unsaved", session_,
                              e.what());
            }
            session_used_ = false;
        }
        auto will_payload = status_offline(session_, "connection-lost").dump();
        ::mqtt::message will(topics_.status(), will_payload, 1, true);
        try {
            connecting_ = true;
            client_.connect(make_connect_options(config_.mqtt, password_, std::move(will), brokers_.uri(),
                                                 brokers_.version()),
                            nullptr, connect_listener_);
        } catch (const ::mqtt::exception& e) {
            connecting_ = false;
            spdlog::error("mqtt: cannot start connecting to {}: {}", brokers_.uri(), e.what());
            on_connect_failed(e.get_return_code(), false);
        }
    }

    // The password, CA, certificate and key files, read afresh for each attempt
    // (a file provisioned later works without a restart). When one cannot be
    // read nothing connects: the uplink_credentials fault is told, the lighting
    // runs on, and the files are read again every credentials_retry.
    bool take_credentials() {
        auto credentials = read_credentials(config_.mqtt);
        if (credentials.problem != credentials_problem_) {
            if (credentials.problem.empty())
                spdlog::info("mqtt: the credential files can be read again");
            else
                spdlog::error("mqtt: not connecting to {}: {}; reading it again every {} s", brokers_.uri(),
                              credentials.problem, credentials_retry.count());
            credentials_problem_ = credentials.problem;
            if (credentials_listener_) credentials_listener_(credentials_problem_);
        }
        if (credentials.warning != credentials_warning_ && !credentials.warning.empty())
            spdlog::warn("{}", credentials.warning);
        credentials_warning_ = credentials.warning;
        if (credentials.problem.empty()) {
            password_ = std::move(credentials.password);
            return true;
        }
        if (phase_ == Phase::starting) mark_historical_since_start();
        phase_ = Phase::down;
        reconnect_timer_ = timers_.after(credentials_retry, [this] { attempt_connect(); });
        return false;
    }

    void on_connect_failed(int reason, bool refused_v5, bool lost = false) {
        connecting_ = false;
        if (phase_ == Phase::stopping || phase_ == Phase::draining) return;
        std::string failed_uri = brokers_.uri();
        if (brokers_.failed(refused_v5)) {
            spdlog::warn("mqtt: {} did not accept MQTT 5 (code {}); trying MQTT 3.1.1 there", failed_uri,
                         reason);
            attempt_connect();
            return;
        }
        if (phase_ == Phase::starting) mark_historical_since_start();
        phase_ = Phase::down;
        auto delay = lost ? backoff_.after_loss() : backoff_.next();
        if (lost)
            spdlog::warn("mqtt: trying {} in {} ms", brokers_.uri(), delay.count());
        else
            spdlog::warn("mqtt: connect to {} failed (code {}); trying {} in {} ms", failed_uri, reason,
                         brokers_.uri(), delay.count());
        reconnect_timer_ = timers_.after(delay, [this] { attempt_connect(); });
    }

    void on_connection_lost(const std::string& cause) {
        if (phase_ == Phase::stopping) return;
        if (phase_ == Phase::draining) {
            window_.reset();  // nothing more will be acknowledged; drain_then_stop finishes
            return;
        }
        spdlog::warn("mqtt: connection to {} lost ({}); session {} ended", brokers_.uri(),
                     cause.empty() ? "no reason given" : cause, session_);
        window_.reset();
        outbox_in_flight_ = 0;
        on_connect_failed(0, false, true);
    }

    void on_connected(int receive_maximum) {
        connecting_ = false;
        if (phase_ == Phase::stopping || phase_ == Phase::draining) return;
        phase_ = Phase::connected;
        session_used_ = true;
        brokers_.connected();
        backoff_.reset();
        window_.reset();
        window_.set_receive_maximum(receive_maximum);
        spdlog::debug("mqtt: broker receive maximum {}; publishing {} at a time", receive_maximum,
                      window_.window());
        spdlog::info("mqtt: connected to {} with MQTT {} (session {})", brokers_.uri(),
                     brokers_.protocol_name(), session_);
        if (disable_nagle_towards(port_of_uri(brokers_.uri().c_str())) == 0)
            spdlog::debug("mqtt: found no socket to turn Nagle off on; answers may wait for delayed ACKs");
        subscribe_all();
        publish_raw(topics_.status(), status_online(session_, clock_.now(), lykta::version).dump(), true, 1);
        republish_all();
        // Resend everything not acknowledged: PUBACKs of the old connection are gone.
        outbox_in_flight_ = 0;
        send_cursor_ = 0;
        pump_outbox();
    }

    // Whatever the CONNACK's "session present" says, a cluster node may have
    // lost the subscriptions (RabbitMQ classic queues after a node crash): both
    // are made again on every connect. P/status is watched for a late will.
    void subscribe_all() {
        for (const auto& filter : {topics_.request_filter(), topics_.status()}) {
            try {
                client_.subscribe(filter, config_.mqtt.subscribed_qos());
            } catch (const ::mqtt::exception& e) {
                spdlog::error("mqtt: subscribe to {} failed: {}", filter, e.what());
            }
        }
    }

    // A cluster may publish the will of a connection on a crashed node long
    // after this gateway came back on another node (aedes + Redis: 17-32 s),
    // overwriting "online" and maybe retained state the crashed node held. A
    // copy with the retain flag is the stored message the broker hands over on
    // subscribing, older than this connection's "online" (MQTT 5.0 §3.3.1.3):
    // not a sign of anything. A live one is when is_late_will says so.
    void on_own_status(const ::mqtt::message& msg) {
        if (phase_ != Phase::connected || msg.is_retained()) return;
        if (!is_late_will(nlohmann::json::parse(msg.get_payload_str(), nullptr, false), session_)) return;
        spdlog::warn(
            "mqtt: {} says {} while connected (a late will?); publishing online (session {}) "
            "and all retained state again",
            topics_.status(), msg.get_payload_str().substr(0, 200), session_);
        publish_raw(topics_.status(), status_online(session_, clock_.now(), lykta::version).dump(), true, 1);
        republish_all();
    }

    // Events appended before the first connect attempt failed were produced
    // while the broker was unreachable too.
    void mark_historical_since_start() {
        try {
            auto q = db_.prepare("UPDATE mqtt_outbox SET historical = 1 WHERE seq > ?");
            q.bind(1, start_seq_);
            q.step();
        } catch (const store::StoreError& e) {
            spdlog::error("mqtt: cannot mark the outbox historical: {}", e.what());
        }
    }

    // --- publishing --------------------------------------------------------
    bool publish_raw(const std::string& topic, const std::string& payload, bool retained, int qos) {
        if (phase_ != Phase::connected) return false;
        window_.send(::mqtt::make_message(topic, payload, qos, retained));
        return true;
    }

    std::size_t republish_all() {
        if (phase_ != Phase::connected) return 0;
        publish_info();
        auto entries = retained_.take_all();
        for (const auto& entry : entries)
            if (publish_raw(topics_.at(entry.first), entry.second, true, config_.mqtt.qos))
                retained_.published(entry);
        publish_discovery();
        return entries.size();
    }

    // Home Assistant discovery configs (ha_discovery.hpp): outside P, so not in
    // the count `republish` announces to the platform. QoS >= 1: a removal
    // leaves the record only when the broker acknowledged it. Built again each
    // time rather than kept: 0.9-1.4 KB per luminaire, needed once per connect.
    void publish_discovery() {
        auto configs = homeassistant_configs(config_, topics_, lykta::version);
        for (auto& message : discovery_record_.messages(configs)) {
            if (message.second.empty())
                spdlog::info(
                    "mqtt: removing Home Assistant discovery config {} (no longer in the configuration)",
                    message.first);
            discovery_record_.sending(message);
            window_.send(
                ::mqtt::make_message(message.first, message.second, std::max(1, config_.mqtt.qos), true),
                [this, topic = message.first, removal = message.second.empty()](bool ok, int) {
                    if (ok && removal) discovery_record_.removal_acknowledged(topic);
                });
        }
    }

    void publish_info() {
        InfoFacts facts{lykta::version, file_hash(config_.source_file), router_.commands(), {}};
        facts.extra["broker"] = {{"uri", brokers_.uri()},
                                 {"node", brokers_.index() + 1},
                                 {"nodes", brokers_.size()},
                                 {"protocol", brokers_.protocol_name()}};
        for (const auto& [name, source] : info_sources_) facts.extra[name] = safely(name, source);
        publish_raw(topics_.info(), info(config_, facts).dump(), true, config_.mqtt.qos);
    }

    void arm_coalescing() {
        if (coalesce_timer_.pending()) return;
        coalesce_timer_ = timers_.after(coalesce_window, [this] { flush_dirty(); });
    }

    void flush_dirty() {
        if (phase_ != Phase::connected) return;  // everything goes out on connect anyway
        for (const auto& entry : retained_.take_dirty())
            if (publish_raw(topics_.at(entry.first), entry.second, true, config_.mqtt.qos))
                retained_.published(entry);
    }

    // --- heartbeat ---------------------------------------------------------
    void schedule_heartbeat() {
        heartbeat_timer_ = timers_.after(std::chrono::seconds(config_.mqtt.heartbeat_s), [this] {
            send_heartbeat();
            schedule_heartbeat();
        });
    }

    void send_heartbeat() {
        HeartbeatFacts facts;
        facts.uptime_s =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_)
                .count();
        facts.outbox_depth = static_cast<std::int64_t>(outbox_.depth());
        facts.seq = outbox_.last_seq();
        facts.session = session_;
        facts.telemetry_dropped = static_cast<std::int64_t>(outbox_.telemetry_dropped());
        facts.requests_rejected_busy =
            static_cast<std::int64_t>(router_.counters().rejected_busy + router_.counters().rejected_rate);
        for (const auto& [name, source] : heartbeat_sources_) facts.extra[name] = safely(name, source);
        publish_raw(topics_.heartbeat(), heartbeat(facts).dump(), false, 0);
    }

    static nlohmann::json safely(const std::string& name, const std::function<nlohmann::json()>& source) {
        try {
            return source();
        } catch (const std::exception& e) {
            spdlog::error("mqtt: source '{}' failed: {}", name, e.what());
            return nullptr;
        }
    }

    // --- outbox ------------------------------------------------------------
    void enqueue(OutboxKind kind, const std::string& subtopic, nlohmann::json message) {
        try {
            outbox_.append(kind, subtopic, stamp(std::move(message), clock_.now()), phase_ == Phase::down);
        } catch (const std::exception& e) {
            // The store is the only copy; say so loudly rather than pretend it went out.
            spdlog::error("mqtt: could not store a {} message in the outbox: {}", subtopic, e.what());
            return;
        }
        pump_outbox();
    }

    void pump_outbox() {
        if (phase_ != Phase::connected) return;
        while (outbox_in_flight_ < outbox_window) {
            auto batch = outbox_.next(send_cursor_, outbox_window - outbox_in_flight_);
            if (batch.empty()) return;
            for (const auto& entry : batch) {
                auto payload = with_delivery_fields(entry.payload, entry.seq, entry.historical);
                int qos = std::max(1, config_.mqtt.qos);  // the outbox needs a PUBACK to delete
                ++outbox_in_flight_;
                send_cursor_ = entry.seq;
                window_.send(
                    ::mqtt::make_message(topics_.at(entry.subtopic), payload, qos, false),
                    [this, seq = entry.seq](bool ok, int reason) { on_outbox_ack(seq, ok, reason); });
            }
        }
    }

    void on_outbox_ack(std::int64_t seq, bool ok, int reason) {
        --outbox_in_flight_;
        if (!ok && reason >= 0x80) {
            // The broker refused this message (MQTT 5 reason code, e.g. not
            // authorised); resending would block the queue forever.
            spdlog::error("mqtt: broker refused outbox message seq {} (reason 0x{:x}); dropped", seq, reason);
        }
        if (ok || reason >= 0x80) forget_acknowledged(seq);
        // Otherwise it stays on disk and goes out again after the next connect.
        pump_outbox();
    }

    // Acknowledged rows are deleted in batches, one transaction per loop turn. A
    // crash before the batch commits only means those few are sent again.
    void forget_acknowledged(std::int64_t seq) {
        acknowledged_.push_back(seq);
        if (acknowledged_.size() == 1) asio::post(io_, [this] { delete_acknowledged(); });
    }

    void delete_acknowledged() {
        try {
            outbox_.remove(acknowledged_);
        } catch (const std::exception& e) {
            spdlog::error("mqtt: could not delete {} acknowledged outbox rows: {}", acknowledged_.size(),
                          e.what());
        }
        acknowledged_.clear();
    }

    // --- requests ----------------------------------------------------------
    void on_message(const ::mqtt::const_message_ptr& msg) {
        if (msg->get_topic() == topics_.status()) return on_own_status(*msg);
        auto command = topics_.request_command(msg->get_topic());
        if (!command) return;
        std::string response_topic = topics_.response(*command);
        std::string correlation;
        bool has_correlation = false;
        const auto& props = msg->get_properties();
        if (props.contains(::mqtt::property::RESPONSE_TOPIC)) {
            auto requested = ::mqtt::get<std::string>(props, ::mqtt::property::RESPONSE_TOPIC);
            if (is_publishable_topic(requested)) response_topic = requested;
        }
        if (props.contains(::mqtt::property::CORRELATION_DATA)) {
            correlation = ::mqtt::get<std::string>(props, ::mqtt::property::CORRELATION_DATA);
            has_correlation = true;
        }
        api::Request request{*command, msg->get_payload_str(), "mqtt",
                             [this, response_topic, correlation, has_correlation](nlohmann::json envelope) {
                                 send_response(
                                     response_topic,
                                     envelope.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                     has_correlation ? &correlation : nullptr);
                             }};
        request.reply_to = api::AnswerCache::reply_to(response_topic, correlation);
        router_.submit(std::move(request), std::chrono::steady_clock::now());
        // Already on the loop: serve it in this turn rather than after whatever
        // else is queued (bus replies, timers); the drain the router asked for
        // finds the queue empty. A flood is still served at most 64 per turn.
        router_.drain();
    }

    void send_response(const std::string& topic, const std::string& payload, const std::string* correlation) {
        if (phase_ != Phase::connected) return;  // the requester's session is gone with ours
        auto msg = ::mqtt::make_message(topic, payload, config_.mqtt.qos, false);
        if (correlation) {
            ::mqtt::properties props;
            props.add({::mqtt::property::CORRELATION_DATA, *correlation});
            msg->set_properties(props);
        }
        window_.send(msg);
    }

    asio::io_context& io_;
    Timers& timers_;
    const config::Config& config_;
    store::Database& db_;
    const Clock& clock_;
    Topics topics_;
    // Paho keeps raw pointers to these listeners in its tokens and calls them on
    // its own threads until MQTTAsync_destroy (in ~async_client) returns: a
    // CONNACK for a connect still pending at shutdown can arrive while this
    // object is being torn down. Declared before client_, they are destroyed
    // after it, so such a late callback finds them alive (it only posts to the
    // io_context, which outlives this link) instead of a destroyed listener
    // ("pure virtual method called", SIGABRT).
    PublishWindow window_;
    TokenListener connect_listener_;
    ::mqtt::async_client client_;
    api::CommandRouter& router_;
    Outbox outbox_;
    RetainedState retained_;
    DiscoveryRecord discovery_record_;
    Backoff backoff_;
    BrokerList brokers_;
    Timer reconnect_timer_;  // the next connect attempt, or the next look at a shutdown drain
    Timer heartbeat_timer_;
    Timer coalesce_timer_;  // pending while retained state changes gather for one flush
    std::chrono::steady_clock::time_point started_;
    std::string password_;
    std::string credentials_problem_;  // why the credential files cannot be read; empty when they can
    std::string credentials_warning_;
    std::function<void(const std::string&)> credentials_listener_;
    Phase phase_ = Phase::idle;
    bool connecting_ = false;
    std::int64_t session_ = 0;
    bool session_used_ = false;
    std::int64_t start_seq_ = 0;
    std::int64_t send_cursor_ = 0;
    std::size_t outbox_in_flight_ = 0;
    std::vector<std::int64_t> acknowledged_;
    std::map<std::string, std::function<nlohmann::json()>> heartbeat_sources_;
    std::map<std::string, std::function<nlohmann::json()>> info_sources_;
};

}  // namespace

std::unique_ptr<Link> Link::create(asio::io_context& io, Timers& timers, const config::Config& config,
                                   store::Database& db, const Clock& clock, api::CommandRouter& router) {
    // Paho's default initialises OpenSSL eagerly (all algorithms and error strings:
    // ~3 MB of libcrypto pages and heap in every daemon, TLS or not). OpenSSL 3
    // initialises itself on first use, so a tls:// link still works; must run
    // before the first client is created.
    static const bool openssl_lazy = [] {
        MQTTAsync_init_options init = MQTTAsync_init_options_initializer;
        init.do_openssl_init = 0;
        MQTTAsync_global_init(&init);
        return true;
    }();
    (void)openssl_lazy;
    return std::make_unique<PahoLink>(io, timers, config, db, clock, router);
}

}  // namespace lykta::mqtt
