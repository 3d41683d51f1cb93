#pragma once
// The supervision every byte-stream DALI interface needs, written once: open
// (TCP or device node), read loop, write queue, one pending transaction with a
// reply timeout, keep-alives, and on any failure (EOF, I/O error, repeated
// timeouts) close + reopen with exponential backoff. Problems are logged once
// per episode and counted. Subclasses only encode requests and parse replies.
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "drivers/dali/byte_stream.hpp"
#include "drivers/dali/transport.hpp"

namespace lykta::dali {

struct StreamEndpoint {
    std::string host;  // TCP when set
    int port = 0;
    std::string device;  // otherwise a device node (tty, pty, hidraw)
};

struct StreamOptions {
    double reply_timeout_s = 1.0;
    double keepalive_s = 20;  // 0 = none
    double backoff_min_s = 0.2;
    double backoff_max_s = 30;
    int timeouts_before_reopen = 3;
};

struct LinkStats {
    std::uint64_t opens = 0, failures = 0, rejected = 0, unexpected = 0, timeouts = 0;
};

class StreamTransport : public Transport {
public:
    ~StreamTransport() override;
    void open() override;
    void close() override;
    void transact(ForwardFrame frame, TransactOptions options, Done done) override;
    std::string describe() const override;
    bool connected() const { return connected_; }
    const LinkStats& link_stats() const { return stats_; }

protected:
    StreamTransport(asio::io_context& io, StreamEndpoint endpoint, std::string protocol,
                    StreamOptions options);

    virtual std::string request_bytes(ForwardFrame frame, TransactOptions options) = 0;
    virtual void on_bytes(std::string_view bytes) = 0;
    virtual std::string keepalive_bytes() { return {}; }
    // A tty device is set to this line when it opens (without: raw mode, speed untouched).
    void use_serial_line(SerialLine line) { serial_line_ = line; }
    virtual void on_connected() {}
    // True when the interface sends nothing back for this frame (the transaction ends once written).
    virtual bool completes_on_write(TransactOptions) const { return false; }

    // For subclasses: the transaction on the wire, and how it ended.
    // The oldest transaction on the wire: replies come in request order.
    bool pending() const { return !pending_.empty(); }
    ForwardFrame pending_frame() const { return pending_.empty() ? ForwardFrame{} : pending_.front().frame; }
    bool pending_expects_answer() const {
        return !pending_.empty() && pending_.front().options.expect_answer;
    }
    bool pending_send_twice() const { return !pending_.empty() && pending_.front().options.send_twice; }
    void finish(Reply reply);
    // Ends the newest transaction on the wire instead (the one written last).
    void finish_newest(Reply reply);
    void count_rejected(const std::string& why);
    void count_unexpected(const std::string& what);
    void link_failed(const std::string& why);
    // Queues bytes for the device; hasseb overrides it (hidraw writes block: a thread does them).
    virtual void write(std::string bytes);
    int native_handle() { return stream_.native_handle(); }
    asio::io_context& io_;
    LinkStats stats_;

private:
    struct Pending {
        ForwardFrame frame;
        TransactOptions options;
        Done done;
    };
    void start_open();
    void on_open(std::error_code ec, asio::posix::stream_descriptor fd);
    void read_more();
    void write_next();
    void schedule_reopen();
    void arm_keepalive();
    void arm_reply_timer();

    StreamEndpoint endpoint_;
    std::optional<SerialLine> serial_line_;
    std::string protocol_;
    StreamOptions options_;
    asio::posix::stream_descriptor stream_;
    asio::steady_timer reply_timer_, reopen_timer_, keepalive_timer_;
    std::deque<Pending> pending_;  // more than one only when pipelines()
    std::deque<std::string> writes_;
    bool writing_ = false, connected_ = false, wanted_ = false, reported_down_ = false;
    int consecutive_timeouts_ = 0;
    double backoff_s_;
    std::uint64_t generation_ = 0;  // bumps on every (re)open so stale handlers drop out
    std::array<char, 512> read_buffer_{};
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::dali
