#include "drivers/modbus/tcp_transport.hpp"

#include <algorithm>

#include "drivers/modbus/mbap.hpp"

namespace lykta::modbus {

TcpTransport::TcpTransport(TcpSettings settings, double response_timeout_s)
    : settings_(std::move(settings)), response_timeout_s_(response_timeout_s) {}

std::size_t TcpTransport::depth() const {
    return static_cast<std::size_t>(std::max(1, settings_.pipeline));
}

bool TcpTransport::open(std::string& error) {
    close();
    stray_answers_ = 0;
    whole_batch_waits_ = true;
    if (link_.open(settings_.host, settings_.port, std::chrono::duration<double>(response_timeout_s_), error))
        return true;
    error = "cannot open " + describe(settings_) + ": " + error;
    return false;
}

void TcpTransport::read(std::span<const BatchRead> reads) {
    if (!is_open()) {
        for (const auto& r : reads)
            fail_read(*r.result, Outcome::link_down, describe_read(r.unit, *r.request) + ": not connected");
        return;
    }
    const std::size_t n = depth();
    for (std::size_t at = 0; at < reads.size(); at += n)
        exchange(reads.subspan(at, std::min(n, reads.size() - at)));
}

WriteResult TcpTransport::write(int unit, const WriteRequest& req) {
    std::string what = "unit " + std::to_string(unit) + " write " + std::string(to_string(req.table)) + " " +
                       std::to_string(req.address);
    WriteResult w;
    if (!is_open()) {
        w.outcome = Outcome::link_down;
        w.error = what + ": not connected";
        return w;
    }
    request_.clear();
    const std::uint16_t transaction = ++transaction_;
    mbap::append_write(request_, transaction, unit, req);
    link_.expect(1);
    std::span<const std::uint8_t> frame;
    std::size_t index = 0;
    const std::uint8_t pending = 0;
    w.outcome = link_.send(request_, w.error);
    if (w.outcome == Outcome::ok) w.outcome = await(transaction, {&pending, 1}, frame, index, w.error);
    if (w.outcome == Outcome::ok) mbap::decode_write(frame, transaction, unit, req, w);
    if (w.outcome != Outcome::ok) {
        w.error = what + ": " + w.error;
        return w;
    }
    w.readback = Transport::read(unit, readback_request(req));
    return w;
}

// One send for all of `reads`, then their answers in whatever order they
// come (Modbus Messaging on TCP/IP Implementation Guide V1.0b, 4.2: the
// transaction id pairs an answer with its request).
void TcpTransport::exchange(std::span<const BatchRead> reads) {
    request_.clear();
    const std::uint16_t first = static_cast<std::uint16_t>(transaction_ + 1);
    for (const auto& r : reads) mbap::append_read(request_, ++transaction_, r.unit, *r.request);
    answered_.assign(reads.size(), 0);
    std::size_t expected = 1;
    if (reads.size() > 1 && whole_batch_waits_) {
        expected = 0;
        for (const auto& r : reads) expected += mbap::answer_size(*r.request);
    }
    link_.expect(expected);
    std::string error;
    Outcome outcome = link_.send(request_, error);
    std::size_t left = reads.size();
    while (outcome == Outcome::ok && left > 0) {
        std::span<const std::uint8_t> frame;
        std::size_t i = 0;
        outcome = await(first, answered_, frame, i, error);
        if (outcome != Outcome::ok) break;
        const BatchRead& r = reads[i];
        mbap::decode_read(frame, static_cast<std::uint16_t>(first + i), r.unit, *r.request, *r.result);
        answered_[i] = 1;
        --left;
    }
    if (link_.expect_missed()) whole_batch_waits_ = false;
    for (std::size_t i = 0; i < reads.size(); ++i) {
        ReadResult& out = *reads[i].result;
        if (!answered_[i]) fail_read(out, outcome, error);
        if (out.outcome != Outcome::ok)
            out.error = describe_read(reads[i].unit, *reads[i].request) + ": " + out.error;
    }
}

Outcome TcpTransport::await(std::uint16_t first, std::span<const std::uint8_t> answered,
                            std::span<const std::uint8_t>& frame, std::size_t& index, std::string& error) {
    // A device that keeps answering with transaction ids nobody asked for
    // must not keep the worker here: a few strays, then it is a bad response.
    constexpr int max_strays = 16;
    for (int strays = 0;; ++strays) {
        Outcome outcome = link_.receive(frame, error);
        if (outcome != Outcome::ok) {
            if (strays > 0)
                error += " (" + std::to_string(strays) + " answer(s) to other transactions skipped)";
            return outcome;
        }
        index = static_cast<std::uint16_t>(mbap::transaction_of(frame) - first);
        if (index < answered.size() && !answered[index]) return Outcome::ok;
        ++stray_answers_;
        if (strays + 1 >= max_strays) {
            error = std::to_string(max_strays) + " answers with transaction ids not asked for (last " +
                    std::to_string(mbap::transaction_of(frame)) + ", expected " + std::to_string(first) +
                    (answered.size() > 1
                         ? ".." + std::to_string(static_cast<std::uint16_t>(first + answered.size() - 1))
                         : "") +
                    ")";
            return Outcome::bad_response;
        }
    }
}

}  // namespace lykta::modbus
