#include "drivers/modbus/mbap.hpp"

#include <cstdio>

namespace lykta::modbus::mbap {
namespace {

void put16(std::vector<std::uint8_t>& out, unsigned value) {
    out.push_back(static_cast<std::uint8_t>(value >> 8));
    out.push_back(static_cast<std::uint8_t>(value));
}

unsigned get16(std::span<const std::uint8_t> data, std::size_t at) {
    return static_cast<unsigned>(data[at]) << 8 | data[at + 1];
}

// Starts an ADU whose PDU will be `pdu_size` bytes long.
void begin(std::vector<std::uint8_t>& out, std::uint16_t transaction, int unit, std::size_t pdu_size) {
    put16(out, transaction);
    put16(out, 0);  // protocol id: Modbus
    put16(out, static_cast<unsigned>(pdu_size + 1));
    out.push_back(static_cast<std::uint8_t>(unit));
}

std::string hex(unsigned value) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", value & 0xFFu);
    return text;
}

// What every response shares: transaction and unit echo the request, the
// function is the request's or (exception) the request's + 0x80. Returns the
// PDU when the response is a normal one; sets `outcome`/`error` otherwise.
struct Checked {
    Outcome outcome = Outcome::ok;
    int exception_code = 0;
    std::string error;
    std::span<const std::uint8_t> pdu;
};

Checked check(std::span<const std::uint8_t> frame, std::uint16_t transaction, int unit,
              std::uint8_t function) {
    Checked c;
    auto bad = [&](const std::string& why) {
        c.outcome = Outcome::bad_response;
        c.error = why;
        return c;
    };
    if (frame.size() < header_size + 1) return bad("frame of " + std::to_string(frame.size()) + " bytes");
    if (get16(frame, 2) != 0)
        return bad("protocol id " + std::to_string(get16(frame, 2)) + ", not Modbus (0)");
    if (get16(frame, 4) + 6 != frame.size())
        return bad("length field " + std::to_string(get16(frame, 4)) + " in a frame of " +
                   std::to_string(frame.size()) + " bytes");
    if (transaction_of(frame) != transaction)
        return bad("transaction id " + std::to_string(transaction_of(frame)) + ", expected " +
                   std::to_string(transaction));
    if (frame[6] != static_cast<std::uint8_t>(unit))
        return bad("answer from unit " + std::to_string(frame[6]));
    auto pdu = frame.subspan(header_size);
    if (pdu[0] == (function | 0x80u)) {
        if (pdu.size() != 2) return bad("exception response of " + std::to_string(pdu.size()) + " bytes");
        c.outcome = Outcome::exception;
        c.exception_code = pdu[1];
        c.error = "exception " + std::to_string(pdu[1]) + " (" + std::string(exception_name(pdu[1])) + ")";
        return c;
    }
    if (pdu[0] != function) return bad("function " + hex(pdu[0]) + ", expected " + hex(function));
    c.pdu = pdu;
    return c;
}

}  // namespace

std::string_view exception_name(int code) {
    switch (code) {
        case 1:
            return "illegal function";
        case 2:
            return "illegal data address";
        case 3:
            return "illegal data value";
        case 4:
            return "server device failure";
        case 5:
            return "acknowledge";
        case 6:
            return "server device busy";
        case 8:
            return "memory parity error";
        case 10:
            return "gateway path unavailable";
        case 11:
            return "gateway target failed to respond";
        default:
            return "exception";
    }
}

std::uint8_t read_function(RegisterType table) {
    switch (table) {
        case RegisterType::coil:
            return 0x01;
        case RegisterType::discrete_input:
            return 0x02;
        case RegisterType::holding:
            return 0x03;
        case RegisterType::input:
            return 0x04;
    }
    return 0x04;
}

std::uint8_t write_function(const WriteRequest& request) {
    if (request.table == RegisterType::coil) return request.multiple ? 0x0F : 0x05;
    return request.words.size() == 1 && !request.multiple ? 0x06 : 0x10;
}

void append_read(std::vector<std::uint8_t>& out, std::uint16_t transaction, int unit,
                 const ReadRequest& request) {
    begin(out, transaction, unit, 5);
    out.push_back(read_function(request.table));
    put16(out, static_cast<unsigned>(request.address));
    put16(out, static_cast<unsigned>(request.count));
}

void append_write(std::vector<std::uint8_t>& out, std::uint16_t transaction, int unit,
                  const WriteRequest& request) {
    const std::uint8_t function = write_function(request);
    switch (function) {
        case 0x05:
            begin(out, transaction, unit, 5);
            out.push_back(function);
            put16(out, static_cast<unsigned>(request.address));
            put16(out, request.bit ? 0xFF00 : 0x0000);
            return;
        case 0x06:
            begin(out, transaction, unit, 5);
            out.push_back(function);
            put16(out, static_cast<unsigned>(request.address));
            put16(out, request.words[0]);
            return;
        case 0x0F:
            begin(out, transaction, unit, 7);
            out.push_back(function);
            put16(out, static_cast<unsigned>(request.address));
            put16(out, 1);
            out.push_back(1);
            out.push_back(request.bit ? 1 : 0);
            return;
        default:
            begin(out, transaction, unit, 6 + 2 * request.words.size());
            out.push_back(function);
            put16(out, static_cast<unsigned>(request.address));
            put16(out, static_cast<unsigned>(request.words.size()));
            out.push_back(static_cast<std::uint8_t>(2 * request.words.size()));
            for (auto w : request.words) put16(out, w);
            return;
    }
}

long frame_size(std::span<const std::uint8_t> data, std::string& error) {
    if (data.size() < header_size) return 0;
    if (get16(data, 2) != 0) {
        error = "protocol id " + std::to_string(get16(data, 2)) + ", not Modbus (0)";
        return -1;
    }
    const unsigned length = get16(data, 4);  // unit id + PDU
    if (length < 2 || length > max_adu_size - 6) {
        error = "length field " + std::to_string(length) + " outside 2..254";
        return -1;
    }
    return static_cast<long>(length) + 6;
}

std::size_t answer_size(const ReadRequest& request) {
    const auto count = static_cast<std::size_t>(request.count);
    return header_size + 2 + (is_bit_table(request.table) ? (count + 7) / 8 : 2 * count);
}

std::uint16_t transaction_of(std::span<const std::uint8_t> frame) {
    return frame.size() < 2 ? 0 : static_cast<std::uint16_t>(get16(frame, 0));
}

void decode_read(std::span<const std::uint8_t> frame, std::uint16_t transaction, int unit,
                 const ReadRequest& request, ReadResult& out) {
    const bool bits = is_bit_table(request.table);
    Checked c = check(frame, transaction, unit, read_function(request.table));
    const auto count = static_cast<std::size_t>(request.count);
    const std::size_t expected = bits ? (count + 7) / 8 : 2 * count;
    if (c.outcome == Outcome::ok &&
        (c.pdu.size() < 2 || c.pdu[1] != expected || c.pdu.size() != 2 + expected)) {
        c.outcome = Outcome::bad_response;
        c.error = (c.pdu.size() < 2
                       ? std::string("no byte count")
                       : "byte count " + std::to_string(c.pdu[1]) + " in a " + std::to_string(c.pdu.size()) +
                             "-byte answer, expected " + std::to_string(expected));
    }
    out.outcome = c.outcome;
    out.exception_code = c.exception_code;
    if (c.outcome != Outcome::ok) {
        out.error = std::move(c.error);
        out.words.clear();
        out.bits.clear();
        return;
    }
    out.error.clear();
    const auto data = c.pdu.subspan(2);
    if (bits) {
        out.words.clear();
        out.bits.resize(count);
        for (std::size_t i = 0; i < count; ++i) out.bits[i] = (data[i / 8] >> (i % 8)) & 1u;
    } else {
        out.bits.clear();
        out.words.resize(count);
        for (std::size_t i = 0; i < count; ++i) out.words[i] = static_cast<std::uint16_t>(get16(data, 2 * i));
    }
}

void decode_write(std::span<const std::uint8_t> frame, std::uint16_t transaction, int unit,
                  const WriteRequest& request, WriteResult& out) {
    const std::uint8_t function = write_function(request);
    Checked c = check(frame, transaction, unit, function);
    if (c.outcome == Outcome::ok &&
        (c.pdu.size() != 5 || get16(c.pdu, 1) != static_cast<unsigned>(request.address))) {
        c.outcome = Outcome::bad_response;
        c.error = (c.pdu.size() != 5 ? "echo of " + std::to_string(c.pdu.size()) + " bytes, expected 5"
                                     : "echo for address " + std::to_string(get16(c.pdu, 1)));
    }
    out.outcome = c.outcome;
    out.exception_code = c.exception_code;
    out.error = std::move(c.error);
}

}  // namespace lykta::modbus::mbap
