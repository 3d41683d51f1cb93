#include "gateway/mqtt/publish_window.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lykta::mqtt {
namespace {
// Used when the CONNACK named no Receive Maximum (MQTT 3.1.1, or a v5 broker at
// its default): below the smallest common broker default (HiveMQ: 10), and on
// loopback as fast as larger windows (bench: 1,024 retained in < 0.1 s).
constexpr std::size_t default_window = 8;
constexpr std::size_t max_window = 32;
}  // namespace

PublishWindow::PublishWindow(asio::io_context& io, ::mqtt::async_client& client)
    : io_(io),
      client_(client),
      listener_([this](const ::mqtt::token& tok, bool ok) {
          int reason = tok.get_reason_code() ? tok.get_reason_code() : tok.get_return_code();
          const ::mqtt::token* key = &tok;
          asio::post(io_, [this, key, ok, reason] { completed(key, ok, reason); });
      }),
      window_(default_window) {}

void PublishWindow::set_receive_maximum(int receive_maximum) {
    // One below the broker's limit: Paho must never reach it (see the header).
    window_ = receive_maximum > 0 ? std::min<std::size_t>(std::max(1, receive_maximum - 1), max_window)
                                  : default_window;
}

void PublishWindow::send(::mqtt::message_ptr msg, Done done) {
    if (msg->get_qos() == 0) {
        try {
            client_.publish(msg);
        } catch (const ::mqtt::exception& e) {
            spdlog::warn("mqtt: publish to {} failed: {}", msg->get_topic(), e.what());
        }
        return;
    }
    waiting_.push_back({std::move(msg), std::move(done)});
    pump();
}

void PublishWindow::pump() {
    while (in_flight_.size() < window_ && !waiting_.empty()) {
        Pending next = std::move(waiting_.front());
        waiting_.pop_front();
        try {
            auto tok = client_.publish(next.msg, nullptr, listener_);
            in_flight_[tok.get()] = {tok, std::move(next.done)};
        } catch (const ::mqtt::exception& e) {
            spdlog::warn("mqtt: publish to {} failed: {}", next.msg->get_topic(), e.what());
            if (next.done) next.done(false, e.get_return_code());
        }
    }
}

void PublishWindow::completed(const ::mqtt::token* tok, bool ok, int reason) {
    auto it = in_flight_.find(tok);
    if (it == in_flight_.end()) return;  // from a connection that is gone
    Done done = std::move(it->second.done);
    in_flight_.erase(it);
    if (done) done(ok, reason);
    pump();
}

void PublishWindow::reset() {
    waiting_.clear();
    in_flight_.clear();
}

}  // namespace lykta::mqtt
