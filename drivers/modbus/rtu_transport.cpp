#include "drivers/modbus/rtu_transport.hpp"

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

std::chrono::nanoseconds inter_frame_silence(const RtuSettings& port) {
    if (port.baud <= 0) return std::chrono::nanoseconds(0);
    if (port.baud > 19200) return std::chrono::microseconds(1750);
    const int bits = 1 + port.data_bits + (port.parity == 'N' ? 0 : 1) + port.stop_bits;
    return std::chrono::nanoseconds(static_cast<long long>(3.5 * bits * 1e9 / port.baud));
}

RtuTransport::RtuTransport(RtuSettings settings, double response_timeout_s)
    : settings_(std::move(settings)),
      response_timeout_s_(response_timeout_s),
      silence_(
          std::chrono::duration_cast<std::chrono::steady_clock::duration>(inter_frame_silence(settings_))) {}

RtuTransport::~RtuTransport() {
    close();
}

void RtuTransport::wait_for_silence() {
    if (silence_.count() > 0) std::this_thread::sleep_until(bus_free_);
}

void RtuTransport::mark_bus_busy() {
    if (silence_.count() > 0) bus_free_ = std::chrono::steady_clock::now() + silence_;
}

bool RtuTransport::open(std::string& error) {
    close();
    const auto& s = settings_;
    modbus_t* ctx = modbus_new_rtu(s.device.c_str(), s.baud, s.parity, s.data_bits, s.stop_bits);
    if (!ctx) {
        error = "cannot create the context: " + errno_text(errno);
        return false;
    }
    set_timeout(ctx, response_timeout_s_, &modbus_set_response_timeout);
    set_timeout(ctx, s.byte_timeout_s, &modbus_set_byte_timeout);
    if (modbus_connect(ctx) == -1) {
        error = "cannot open " + describe(s) + ": " + errno_text(errno);
        modbus_free(ctx);
        return false;
    }
    // TIOCSRS485 needs the open fd, so after connect (libmodbus #42, #552).
    // USB adapters switch direction themselves and answer ENOTTY: not needed.
    if (s.rs485 && modbus_rtu_set_serial_mode(ctx, MODBUS_RTU_RS485) == -1 && errno != ENOTTY)
        error = "RS-485 mode not set on " + s.device + ": " + errno_text(errno);
    ctx_ = ctx;
    return true;
}

void RtuTransport::close() {
    if (!ctx_) return;
    modbus_close(ctx_);
    modbus_free(ctx_);
    ctx_ = nullptr;
}

void RtuTransport::failure(const std::string& what, ReadResult& out) {
    int error = errno;
    out.outcome = classify_errno(error);
    out.exception_code = out.outcome == Outcome::exception ? error - MODBUS_ENOBASE : 0;
    out.error = what + ": " + errno_text(error);
    // A garbled frame leaves bytes in the buffer that would be taken for the next answer.
    if (out.outcome == Outcome::timeout || out.outcome == Outcome::bad_response) modbus_flush(ctx_);
}

void RtuTransport::read(std::span<const BatchRead> reads) {
    for (const auto& r : reads) read_one(r);
}

void RtuTransport::read_one(const BatchRead& read) {
    const ReadRequest& req = *read.request;
    ReadResult& r = *read.result;
    if (!ctx_) return fail_read(r, Outcome::link_down, describe_read(read.unit, req) + ": not connected");
    r.outcome = Outcome::ok;
    r.exception_code = 0;
    r.error.clear();
    const bool bits = is_bit_table(req.table);
    // The buffer the other table would use stays empty, so results compare equal.
    (bits ? r.words.clear() : r.bits.clear());
    modbus_set_slave(ctx_, read.unit);
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
        failure(describe_read(read.unit, req), r);
        r.words.clear();
        r.bits.clear();
    } else {
        fail_read(r, Outcome::bad_response, describe_read(read.unit, req) + ": short response");
    }
}

WriteResult RtuTransport::write(int unit, const WriteRequest& req) {
    std::string what = "unit " + std::to_string(unit) + " write " + std::string(to_string(req.table)) + " " +
                       std::to_string(req.address);
    WriteResult w;
    if (!ctx_) {
        w.outcome = Outcome::link_down;
        w.error = what + ": not connected";
        return w;
    }
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
        n = modbus_write_registers(ctx_, req.address, static_cast<int>(req.words.size()), req.words.data());
    mark_bus_busy();
    if (n == -1) {
        ReadResult f;
        failure(what, f);
        w.outcome = f.outcome;
        w.exception_code = f.exception_code;
        w.error = f.error;
        return w;
    }
    w.readback = Transport::read(unit, readback_request(req));
    return w;
}

}  // namespace lykta::modbus
