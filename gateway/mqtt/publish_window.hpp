#pragma once
// Every QoS >= 1 publish goes through here: at most `window` unacknowledged at
// a time, the rest wait in order. Why: measured with MQTT 5 against mosquitto
// 2.0, Paho C 1.3.12 drops to about one message per 40 ms, or pauses for its 1 s
// send-thread timeout, once ~20 QoS 1 messages are in flight (1,024 retained
// states took 2-50 s instead of < 0.1 s). Staying below that keeps it fast.
// Completion (PUBACK or failure) is posted to the loop; all methods run on the
// loop thread.
#include <asio.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>

#include <mqtt/async_client.h>

namespace lykta::mqtt {

// Forwards a Paho token outcome, on Paho's thread, to a handler.
class TokenListener final : public ::mqtt::iaction_listener {
public:
    using Handler = std::function<void(const ::mqtt::token& tok, bool ok)>;
    explicit TokenListener(Handler h) : handler_(std::move(h)) {}
    void on_success(const ::mqtt::token& tok) override { handler_(tok, true); }
    void on_failure(const ::mqtt::token& tok) override { handler_(tok, false); }

private:
    Handler handler_;
};

class PublishWindow {
public:
    // `reason`: the MQTT 5 reason code (>= 0x80 = refused by the broker) or Paho's return code.
    using Done = std::function<void(bool ok, int reason)>;
    PublishWindow(asio::io_context& io, ::mqtt::async_client& client);

    // From the broker's CONNACK Receive Maximum (0 = not given).
    void set_receive_maximum(int receive_maximum);
    // QoS 0 goes out at once; QoS >= 1 waits for a slot. Throws nothing: a
    // publish Paho refuses completes with ok = false.
    void send(::mqtt::message_ptr msg, Done done = {});
    // The connection is gone: forget what waits and what is in flight (no Done
    // calls; callers resend what matters after reconnecting).
    void reset();

    std::size_t window() const { return window_; }
    std::size_t waiting() const { return waiting_.size(); }
    std::size_t in_flight() const { return in_flight_.size(); }

private:
    struct Pending {
        ::mqtt::message_ptr msg;
        Done done;
    };
    struct InFlight {
        ::mqtt::delivery_token_ptr token;
        Done done;
    };
    void pump();
    void completed(const ::mqtt::token* tok, bool ok, int reason);

    asio::io_context& io_;
    ::mqtt::async_client& client_;
    TokenListener listener_;
    std::size_t window_ = 16;
    std::deque<Pending> waiting_;
    std::map<const ::mqtt::token*, InFlight> in_flight_;
};

}  // namespace lykta::mqtt
