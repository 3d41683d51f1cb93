#include "drivers/dali/stream_transport.hpp"

#include <spdlog/spdlog.h>

#include <asio/post.hpp>
#include <asio/write.hpp>
#include <chrono>

#include "drivers/dali/byte_stream.hpp"

namespace lykta::dali {
namespace {
std::chrono::steady_clock::duration seconds(double s) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}
}  // namespace

StreamTransport::StreamTransport(asio::io_context& io, StreamEndpoint endpoint, std::string protocol,
                                 StreamOptions options)
    : io_(io),
      endpoint_(std::move(endpoint)),
      protocol_(std::move(protocol)),
      options_(options),
      stream_(io),
      reply_timer_(io),
      reopen_timer_(io),
      keepalive_timer_(io),
      backoff_s_(options.backoff_min_s) {}

StreamTransport::~StreamTransport() {
    *alive_ = false;
    std::error_code ec;
    stream_.close(ec);
}

std::string StreamTransport::describe() const {
    if (!endpoint_.host.empty())
        return protocol_ + " tcp " + endpoint_.host + ":" + std::to_string(endpoint_.port);
    return protocol_ + " " + endpoint_.device;
}

void StreamTransport::open() {
    wanted_ = true;
    start_open();
}

void StreamTransport::close() {
    wanted_ = false;
    ++generation_;
    connected_ = false;
    reply_timer_.cancel();
    reopen_timer_.cancel();
    keepalive_timer_.cancel();
    std::error_code ec;
    stream_.close(ec);
    writes_.clear();
    writing_ = false;
    while (!pending_.empty()) finish(Reply::failed(BusError::interface));
}

void StreamTransport::start_open() {
    const auto gen = ++generation_;
    std::weak_ptr<bool> alive = alive_;
    auto done = [this, alive, gen](std::error_code ec, asio::posix::stream_descriptor fd) {
        if (auto a = alive.lock(); !a || !*a || gen != generation_) return;
        on_open(ec, std::move(fd));
    };
    if (!endpoint_.host.empty()) {
        connect_tcp(io_, endpoint_.host, endpoint_.port, done);
    } else {
        asio::posix::stream_descriptor fd(io_);
        auto ec = open_device(endpoint_.device, serial_line_, fd);
        asio::post(io_, [done, ec, fd = std::move(fd)]() mutable { done(ec, std::move(fd)); });
    }
}

void StreamTransport::on_open(std::error_code ec, asio::posix::stream_descriptor fd) {
    if (!wanted_) return;
    if (ec) {
        link_failed("cannot open: " + ec.message());
        return;
    }
    stream_ = std::move(fd);
    connected_ = true;
    ++stats_.opens;
    backoff_s_ = options_.backoff_min_s;
    consecutive_timeouts_ = 0;
    if (reported_down_)
        spdlog::info("DALI interface {} is back", describe());
    else
        spdlog::info("DALI interface {} open", describe());
    reported_down_ = false;
    on_connected();
    read_more();
    arm_keepalive();
}

void StreamTransport::read_more() {
    const auto gen = generation_;
    std::weak_ptr<bool> alive = alive_;
    stream_.async_read_some(
        asio::buffer(read_buffer_), [this, alive, gen](std::error_code ec, std::size_t n) {
            if (auto a = alive.lock(); !a || !*a || gen != generation_) return;
            if (ec) {
                link_failed(ec == asio::error::eof ? "closed by the interface" : "read: " + ec.message());
                return;
            }
            on_bytes(std::string_view(read_buffer_.data(), n));
            if (gen == generation_ && connected_) read_more();
        });
}

void StreamTransport::write(std::string bytes) {
    if (!connected_) return;
    writes_.push_back(std::move(bytes));
    if (!writing_) write_next();
}

void StreamTransport::write_next() {
    if (writes_.empty()) {
        writing_ = false;
        return;
    }
    writing_ = true;
    const auto gen = generation_;
    std::weak_ptr<bool> alive = alive_;
    asio::async_write(stream_, asio::buffer(writes_.front()),
                      [this, alive, gen](std::error_code ec, std::size_t) {
                          if (auto a = alive.lock(); !a || !*a || gen != generation_) return;
                          writes_.pop_front();
                          if (ec) {
                              link_failed("write: " + ec.message());
                              return;
                          }
                          write_next();
                      });
}

void StreamTransport::transact(ForwardFrame frame, TransactOptions options, Done done) {
    if (!connected_ || (!pending_.empty() && !pipelines())) {
        // Not on the wire: an interface problem (the scheduler never overlaps transactions).
        asio::post(io_, [done = std::move(done)] { done(Reply::failed(BusError::interface)); });
        return;
    }
    pending_.push_back(Pending{frame, options, std::move(done)});
    write(request_bytes(frame, options));
    if (completes_on_write(options)) {
        finish(Reply::none());
        return;
    }
    if (pending_.size() == 1) arm_reply_timer();
    arm_keepalive();
}

// The oldest transaction's reply is due within the timeout (twice that for a
// send-twice frame) of it becoming the oldest.
void StreamTransport::arm_reply_timer() {
    reply_timer_.expires_after(
        seconds(options_.reply_timeout_s * (pending_.front().options.send_twice ? 2 : 1)));
    const auto gen = generation_;
    std::weak_ptr<bool> alive = alive_;
    reply_timer_.async_wait([this, alive, gen](std::error_code ec) {
        if (ec) return;
        if (auto a = alive.lock(); !a || !*a || gen != generation_ || pending_.empty()) return;
        ++stats_.timeouts;
        finish(Reply::failed(BusError::timeout));
        if (++consecutive_timeouts_ >= options_.timeouts_before_reopen)
            link_failed(std::to_string(consecutive_timeouts_) + " replies timed out in a row");
    });
}

void StreamTransport::finish(Reply reply) {
    if (pending_.empty()) return;
    reply_timer_.cancel();
    if (reply.outcome != Outcome::bus_error || reply.error != BusError::timeout) consecutive_timeouts_ = 0;
    auto done = std::move(pending_.front().done);
    pending_.pop_front();
    if (!pending_.empty() && connected_) arm_reply_timer();
    asio::post(io_, [done = std::move(done), reply] { done(reply); });
}

void StreamTransport::finish_newest(Reply reply) {
    if (pending_.size() <= 1) {
        finish(reply);
        return;
    }
    consecutive_timeouts_ = 0;  // the interface answered
    auto done = std::move(pending_.back().done);
    pending_.pop_back();  // the oldest keeps its reply timer
    asio::post(io_, [done = std::move(done), reply] { done(reply); });
}

void StreamTransport::count_rejected(const std::string& why) {
    if (stats_.rejected++ == 0)
        spdlog::warn("DALI interface {}: dropped bad data ({}); further drops are only counted", describe(),
                     why);
}

void StreamTransport::count_unexpected(const std::string& what) {
    if (stats_.unexpected++ == 0)
        spdlog::warn("DALI interface {}: unexpected message ({}); further ones are only counted", describe(),
                     what);
}

void StreamTransport::link_failed(const std::string& why) {
    ++stats_.failures;
    if (!reported_down_)
        spdlog::warn("DALI interface {}: {}; reopening with backoff (further failures are only counted)",
                     describe(), why);
    reported_down_ = true;
    ++generation_;
    connected_ = false;
    std::error_code ec;
    stream_.close(ec);
    writes_.clear();
    writing_ = false;
    keepalive_timer_.cancel();
    while (!pending_.empty()) finish(Reply::failed(BusError::interface));
    schedule_reopen();
}

void StreamTransport::schedule_reopen() {
    if (!wanted_) return;
    reopen_timer_.expires_after(seconds(backoff_s_));
    backoff_s_ = std::min(backoff_s_ * 2, options_.backoff_max_s);
    std::weak_ptr<bool> alive = alive_;
    reopen_timer_.async_wait([this, alive](std::error_code ec) {
        if (ec) return;
        if (auto a = alive.lock(); !a || !*a || !wanted_) return;
        start_open();
    });
}

void StreamTransport::arm_keepalive() {
    if (options_.keepalive_s <= 0 || !connected_) return;
    keepalive_timer_.expires_after(seconds(options_.keepalive_s));
    const auto gen = generation_;
    std::weak_ptr<bool> alive = alive_;
    keepalive_timer_.async_wait([this, alive, gen](std::error_code ec) {
        if (ec) return;
        if (auto a = alive.lock(); !a || !*a || gen != generation_) return;
        if (auto bytes = keepalive_bytes(); !bytes.empty()) write(std::move(bytes));
        arm_keepalive();
    });
}

}  // namespace lykta::dali
