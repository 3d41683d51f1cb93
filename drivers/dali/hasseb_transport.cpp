#include "drivers/dali/hasseb_transport.hpp"

#include <spdlog/spdlog.h>

#include <asio/post.hpp>
#include <chrono>
#include <utility>

#include "drivers/dali/timing.hpp"

namespace lykta::dali {
namespace {
std::chrono::steady_clock::duration seconds(double s) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}
std::string version(hasseb::Firmware f) {
    return std::to_string(f.major) + "." + std::to_string(f.minor);
}
}  // namespace

HassebTransport::HassebTransport(asio::io_context& io, std::string device, StreamOptions options)
    : StreamTransport(io, StreamEndpoint{{}, 0, std::move(device)}, "hasseb", with_no_keepalive(options)),
      writer_(io),
      pace_timer_(io),
      firmware_timer_(io) {}

HassebTransport::~HassebTransport() {
    *alive_ = false;
}

void HassebTransport::close() {
    ++epoch_;
    firmware_.reset();
    pace_timer_.cancel();
    firmware_timer_.cancel();
    writer_.attach(-1);
    StreamTransport::close();
}

double HassebTransport::bus_time_s(TransactOptions o) {
    // The firmware sends the second frame of a send-twice command send_twice_gap_ms after
    // the first (README "0x07, Send frame", byte 6).
    return o.send_twice ? 2 * timing::command_s + hasseb::send_twice_gap_ms / 1000.0 : timing::command_s;
}

std::uint8_t HassebTransport::next_sequence() {
    sequence_ = static_cast<std::uint8_t>(sequence_ == 255 ? 1 : sequence_ + 1);
    return sequence_;
}

void HassebTransport::transact(ForwardFrame frame, TransactOptions options, Done done) {
    if (!firmware_ || !connected()) {
        asio::post(io_, [done = std::move(done)] { done(Reply::failed(BusError::interface)); });
        return;
    }
    ++transaction_;
    StreamTransport::transact(frame, options, std::move(done));
}

std::string HassebTransport::request_bytes(ForwardFrame frame, TransactOptions options) {
    const auto report =
        hasseb::frame_report(next_sequence(), frame, options.expect_answer, options.send_twice);
    pace_next_write_s_ = options.expect_answer ? -1 : bus_time_s(options);
    return std::string(report.begin(), report.end());
}

void HassebTransport::write(std::string bytes) {
    if (!connected()) return;
    const double pace = std::exchange(pace_next_write_s_, -1.0);
    std::weak_ptr<bool> alive = alive_;
    writer_.write(std::move(bytes), [this, alive, epoch = epoch_, transaction = transaction_,
                                     pace](std::error_code ec) {
        if (auto a = alive.lock(); !a || !*a || epoch != epoch_ || !connected()) return;
        if (ec) return link_failed("write: " + ec.message());
        if (pace < 0) return;
        // The device does not report the end of a command: it is done when its frame has
        // left the bus. Only then the next one goes out.
        pace_timer_.expires_after(seconds(pace));
        pace_timer_.async_wait([this, alive, epoch, transaction](std::error_code e) {
            if (auto a = alive.lock(); e || !a || !*a || epoch != epoch_ || transaction != transaction_)
                return;
            finish(Reply::none());
        });
    });
}

void HassebTransport::on_connected() {
    ++epoch_;
    firmware_.reset();
    writer_.attach(native_handle());
    firmware_sequence_ = next_sequence();
    const auto request = hasseb::firmware_request(firmware_sequence_);
    write(std::string(request.begin(), request.end()));
    firmware_timer_.expires_after(seconds(1.0));
    std::weak_ptr<bool> alive = alive_;
    firmware_timer_.async_wait([this, alive, epoch = epoch_](std::error_code ec) {
        if (auto a = alive.lock(); ec || !a || !*a || epoch != epoch_ || firmware_ || !connected()) return;
        refuse(
            "no firmware version report (AA 02) within 1 s: firmware 1.x speaks another protocol; "
            "lyktad needs hasseb firmware 2.3 or newer");
    });
}

void HassebTransport::refuse(const std::string& why) {
    if (why != refused_) spdlog::error("DALI interface {}: {}", describe(), why);
    refused_ = why;
    link_failed(why);
}

void HassebTransport::on_firmware(hasseb::Firmware f) {
    firmware_timer_.cancel();
    if (!f.supported()) {
        refuse("firmware " + version(f) + " is older than 2.3, which lyktad needs (update it: " +
               "hasseb/python-dali dali/driver/hasseb_firmware)");
        return;
    }
    firmware_ = f;
    refused_.clear();
    spdlog::info("DALI interface {}: firmware {}", describe(), version(f));
}

void HassebTransport::on_bytes(std::string_view bytes) {
    // hidraw returns one whole report per read: a read is a report, or it is dropped.
    const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
    auto in = hasseb::parse_report(std::span<const std::uint8_t>(p, bytes.size()));
    if (!in) {
        count_rejected(bytes.size() == hasseb::report_size
                           ? "report without the AA preamble or with an unknown status"
                           : "a read of " + std::to_string(bytes.size()) + " bytes, not one 10-byte report");
        return;
    }
    switch (in->kind) {
        case hasseb::Incoming::Kind::firmware:
            if (firmware_ || in->sequence != firmware_sequence_)
                return count_unexpected("firmware report with sequence " + std::to_string(in->sequence));
            return on_firmware(in->firmware);
        case hasseb::Incoming::Kind::transmission:
            if (!in->reply) return;  // sniffer reports
            if (!pending() || !pending_expects_answer() || in->sequence != sequence_)
                return count_unexpected("transmission report with sequence " + std::to_string(in->sequence));
            if (in->undocumented_status())  // fail it now rather than let it time out
                count_unexpected("transmission report with status 0 (not a README status) for sequence " +
                                 std::to_string(in->sequence));
            return finish(*in->reply);
        case hasseb::Incoming::Kind::other:
            return;
    }
}

}  // namespace lykta::dali
