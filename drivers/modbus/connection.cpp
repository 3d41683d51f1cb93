#include "drivers/modbus/connection.hpp"

#include <modbus/modbus.h>

#include <cerrno>
#include <cmath>
#include <system_error>
#include <thread>

#include "drivers/modbus/mbap.hpp"

namespace lykta::modbus {
namespace {

void set_timeout(modbus_t* ctx, double seconds, int (*setter)(modbus_t*, uint32_t, uint32_t)) {
    double whole = std::floor(seconds);
    setter(ctx, static_cast<uint32_t>(whole),
           static_cast<uint32_t>(std::lround((seconds - whole) * 1e6)) % 1000000);
}

}  // namespace

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::ok:
            return "ok";
        case Outcome::timeout:
            return "timeout";
        case Outcome::exception:
            return "exception";
        case Outcome::bad_response:
            return "bad response";
        case Outcome::link_down:
            return "link down";
    }
    return "?";
}

Outcome classify_errno(int error) {
    if (error == ETIMEDOUT) return Outcome::timeout;
    if (error > MODBUS_ENOBASE && error <= EMBXGTAR) return Outcome::exception;
    if (error >= EMBBADCRC && error <= EMBBADSLAVE) return Outcome::bad_response;
    return Outcome::link_down;
}

std::string errno_text(int error) {
    if (error > MODBUS_ENOBASE && error <= EMBXGTAR) {
        int code = error - MODBUS_ENOBASE;
        return "exception " + std::to_string(code) + " (" + std::string(mbap::exception_name(code)) + ")";
    }
    switch (error) {
        case EMBBADCRC:
            return "invalid CRC";
        case EMBBADDATA:
            return "invalid data";
        case EMBBADEXC:
            return "invalid exception code";
        case EMBMDATA:
            return "too many data";
        case EMBBADSLAVE:
            return "response from an unexpected unit";
        default:
            return std::error_code(error, std::generic_category()).message();
    }
}

std::chrono::nanoseconds inter_frame_silence(const config::ModbusNetwork& network) {
    if (network.type != "rtu" || network.baud <= 0) return std::chrono::nanoseconds(0);
    if (network.baud > 19200) return std::chrono::microseconds(1750);
    const int bits = 1 + network.data_bits + (network.parity == 'N' ? 0 : 1) + network.stop_bits;
    return std::chrono::nanoseconds(static_cast<long long>(3.5 * bits * 1e9 / network.baud));
}

Connection::Connection(config::ModbusNetwork config)
    : config_(std::move(config)),
      silence_(
          std::chrono::duration_cast<std::chrono::steady_clock::duration>(inter_frame_silence(config_))) {}

void Connection::wait_for_silence() {
    if (silence_.count() > 0) std::this_thread::sleep_until(bus_free_);
}

void Connection::mark_bus_busy() {
    if (silence_.count() > 0) bus_free_ = std::chrono::steady_clock::now() + silence_;
}

Connection::~Connection() {
    close();
}

std::string Connection::describe() const {
    if (config_.type == "tcp") return "tcp " + config_.host + ":" + std::to_string(config_.port);
    return "rtu " + config_.device + " " + std::to_string(config_.baud) + " " +
           std::to_string(config_.data_bits) + config_.parity + std::to_string(config_.stop_bits);
}

bool Connection::open(std::string& error) {
    close();
    if (tcp()) {
        stray_answers_ = 0;
        whole_batch_waits_ = true;
        if (link_.open(config_.host, config_.port, std::chrono::duration<double>(config_.response_timeout_s),
                       error))
            return true;
        error = "cannot open " + describe() + ": " + error;
        return false;
    }
    modbus_t* ctx = config_.type == "tcp"
                        ? modbus_new_tcp(config_.host.c_str(), config_.port)
                        : modbus_new_rtu(config_.device.c_str(), config_.baud, config_.parity,
                                         config_.data_bits, config_.stop_bits);
    if (!ctx) {
        error = "cannot create the context: " + errno_text(errno);
        return false;
    }
    set_timeout(ctx, config_.response_timeout_s, &modbus_set_response_timeout);
    if (config_.type == "rtu") set_timeout(ctx, config_.byte_timeout_s, &modbus_set_byte_timeout);
    if (modbus_connect(ctx) == -1) {
        error = "cannot open " + describe() + ": " + errno_text(errno);
        modbus_free(ctx);
        return false;
    }
    // TIOCSRS485 needs the open fd, so after connect (libmodbus #42, #552).
    // USB adapters switch direction themselves and answer ENOTTY: not needed.
    if (config_.type == "rtu" && config_.rs485 && modbus_rtu_set_serial_mode(ctx, MODBUS_RTU_RS485) == -1 &&
        errno != ENOTTY)
        error = "RS-485 mode not set on " + config_.device + ": " + errno_text(errno);
    ctx_ = ctx;
    return true;
}

void Connection::close() {
    link_.close();
    if (!ctx_) return;
    modbus_close(ctx_);
    modbus_free(ctx_);
    ctx_ = nullptr;
}

void Connection::failure(const std::string& what, ReadResult& out) {
    int error = errno;
    out.outcome = classify_errno(error);
    out.exception_code = out.outcome == Outcome::exception ? error - MODBUS_ENOBASE : 0;
    out.error = what + ": " + errno_text(error);
    // A late TCP reply would leave every later transaction one behind
    // (libmodbus #255); a garbled RTU frame leaves bytes in the buffer.
    if (out.outcome == Outcome::timeout || out.outcome == Outcome::bad_response) modbus_flush(ctx_);
}

ReadResult Connection::read(int unit, const ReadRequest& req) {
    ReadResult r;
    read_into(unit, req, r);
    return r;
}

void Connection::read_into(int unit, const ReadRequest& req, ReadResult& r) {
    // Built only when something went wrong: the good path is the hot one.
    auto what = [&] {
        return "unit " + std::to_string(unit) + " " + std::string(to_string(req.table)) + " " +
               std::to_string(req.address) + "+" + std::to_string(req.count);
    };
    r.outcome = Outcome::ok;
    r.exception_code = 0;
    r.error.clear();
    const bool bits = is_bit_table(req.table);
    // The buffer the other table would use stays empty, so results compare equal.
    (bits ? r.words.clear() : r.bits.clear());
    if (!is_open()) {
        r.outcome = Outcome::link_down;
        r.error = what() + ": not connected";
        r.words.clear();
        r.bits.clear();
        return;
    }
    if (tcp()) {
        const BatchRead one{unit, &req, &r};
        exchange({&one, 1});
        return;
    }
    modbus_set_slave(ctx_, unit);
    wait_for_silence();
    int n = -1;
    if (bits) {
        r.bits.resize(static_cast<std::size_t>(req.count));
        n = req.table == RegisterType::coil
                ? modbus_read_bits(ctx_, req.address, req.count, r.bits.data())
                : modbus_read_input_bits(ctx_, req.address, req.count, r.bits.data());
    } else {
        r.words.resize(static_cast<std::size_t>(req.count));
        n = req.table == RegisterType::holding
                ? modbus_read_registers(ctx_, req.address, req.count, r.words.data())
                : modbus_read_input_registers(ctx_, req.address, req.count, r.words.data());
    }
    mark_bus_busy();
    if (n != -1 && n == req.count) return;
    if (n == -1) {
        failure(what(), r);
    } else {
        r.outcome = Outcome::bad_response;
        r.error = what() + ": short response";
    }
    r.words.clear();
    r.bits.clear();
}

WriteResult Connection::write(int unit, const WriteRequest& req) {
    std::string what = "unit " + std::to_string(unit) + " write " + std::string(to_string(req.table)) + " " +
                       std::to_string(req.address);
    WriteResult w;
    if (!is_open()) {
        w.outcome = Outcome::link_down;
        w.error = what + ": not connected";
        return w;
    }
    if (tcp()) {
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
    } else {
        modbus_set_slave(ctx_, unit);
        wait_for_silence();
        int n = -1;
        const std::uint8_t bit = req.bit ? 1 : 0;
        if (req.table == RegisterType::coil && req.multiple)
            n = modbus_write_bits(ctx_, req.address, 1, &bit);  // FC15
        else if (req.table == RegisterType::coil)
            n = modbus_write_bit(ctx_, req.address, bit);  // FC05
        else if (req.words.size() == 1 && !req.multiple)   // FC06, else FC16
            n = modbus_write_register(ctx_, req.address, req.words[0]);
        else
            n = modbus_write_registers(ctx_, req.address, static_cast<int>(req.words.size()),
                                       req.words.data());
        mark_bus_busy();
        if (n == -1) {
            ReadResult f;
            failure(what, f);
            w.outcome = f.outcome;
            w.exception_code = f.exception_code;
            w.error = f.error;
            return w;
        }
    }
    ReadRequest back{
        req.table, req.address, req.table == RegisterType::coil ? 1 : static_cast<int>(req.words.size()), {}};
    w.readback = read(unit, back);
    return w;
}

void Connection::read_all(std::span<const BatchRead> reads) {
    const auto depth = static_cast<std::size_t>(std::max(1, config_.pipeline));
    if (!tcp() || depth == 1 || !is_open()) {
        for (const auto& r : reads) read_into(r.unit, *r.request, *r.result);
        return;
    }
    for (std::size_t at = 0; at < reads.size(); at += depth)
        exchange(reads.subspan(at, std::min(depth, reads.size() - at)));
}

// TCP: one send for all of `reads`, then their answers in whatever order
// they come (Modbus Messaging on TCP/IP Implementation Guide V1.0b, 4.2: the
// transaction id pairs an answer with its request).
void Connection::exchange(std::span<const BatchRead> reads) {
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
        if (!answered_[i]) {
            out.outcome = outcome;
            out.exception_code = 0;
            out.error = error;
            out.words.clear();
            out.bits.clear();
        }
        if (out.outcome == Outcome::ok) continue;
        const ReadRequest& req = *reads[i].request;
        out.error = "unit " + std::to_string(reads[i].unit) + " " + std::string(to_string(req.table)) + " " +
                    std::to_string(req.address) + "+" + std::to_string(req.count) + ": " + out.error;
    }
}

Outcome Connection::await(std::uint16_t first, std::span<const std::uint8_t> answered,
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
