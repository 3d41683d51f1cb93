#include "drivers/dali/foxtron_transport.hpp"

#include <spdlog/spdlog.h>

namespace lykta::dali {

SerialLine dali232_serial_line() {
    return SerialLine{foxtron::serial_baud, SerialLine::Parity::even, /*dtr=*/true};
}

FoxtronTransport::FoxtronTransport(asio::io_context& io, StreamEndpoint endpoint, StreamOptions options)
    : StreamTransport(io, std::move(endpoint), "foxtron", options) {
    use_serial_line(dali232_serial_line());  // used when the device is a tty (DALI232, §3.1)
}

std::string FoxtronTransport::request_bytes(ForwardFrame frame, TransactOptions options) {
    return foxtron::encode(foxtron::send_request(frame, options.send_twice));
}

// The gateway closes idle connections after ~30 s; a config query (§4.7) keeps it open.
std::string FoxtronTransport::keepalive_bytes() {
    return foxtron::encode(foxtron::config_request(foxtron::item::firmware));
}

// A new link starts clean: half a message or a report due from before is gone.
void FoxtronTransport::on_connected() {
    deframer_ = {};
    rejected_seen_ = 0;
    second_report_due_.reset();
}

void FoxtronTransport::on_bytes(std::string_view bytes) {
    deframer_.feed(bytes);
    while (auto payload = deframer_.next()) {
        auto in = foxtron::interpret(*payload);
        if (!in) {
            count_rejected("malformed message type " + std::to_string((*payload)[0]));
            continue;
        }
        handle(*in);
    }
    if (deframer_.rejected() != rejected_seen_) {
        rejected_seen_ = deframer_.rejected();
        count_rejected(deframer_.last_problem());
    }
}

void FoxtronTransport::handle(const foxtron::Incoming& in) {
    using K = foxtron::Incoming::Kind;
    switch (in.kind) {
        case K::answer:
        case K::collision:
        case K::no_answer:
        case K::unreadable:
            // Types 3/4 are frames another master (or a type-1 send) put on the bus: not ours.
            if (in.ours) handle_report(in);
            return;
        case K::event:
            handle_event(in.value);
            return;
        case K::config:
            if (in.value == foxtron::item::bus_power) power_lost_ = in.data != 0;
            return;
        case K::unknown:
            count_unexpected("message type not used by Lykta");
            return;
    }
}

// Reports come in bus order (the converter sends its buffer in order), so the
// oldest pending transaction is the one reported; the echoed frame confirms it.
void FoxtronTransport::handle_report(const foxtron::Incoming& in) {
    using K = foxtron::Incoming::Kind;
    const auto frame = in.message.forward_frame();
    if (second_report_due_) {
        const ForwardFrame due = *second_report_due_;
        second_report_due_.reset();
        if (in.kind == K::unreadable) {
            count_unexpected("second frame of send-twice " + hex(due) + " unreadable on the bus");
            return;
        }
        if (frame == due) return;
        // Otherwise this converter reported the pair once: the message is the next frame's.
    }
    if (!pending()) {
        count_unexpected("report without a pending frame (" + std::to_string(in.message.bits) + " bits)");
        return;
    }
    if (in.kind == K::unreadable) {  // §4.6 data length 0: our frame did not go out intact
        finish(Reply::failed(BusError::interface));
        return;
    }
    if (frame != pending_frame()) {
        count_unexpected(frame ? "reply for frame " + hex(*frame)
                               : "reply for a " + std::to_string(in.message.bits) + "-bit message");
        return;
    }
    if (pending_send_twice()) second_report_due_ = *frame;
    if (in.kind == K::answer)
        finish(Reply::answer(in.value));
    else if (in.kind == K::collision)
        finish(Reply::framing());
    else if (power_lost_ && pending_expects_answer())
        finish(Reply::failed(BusError::power_loss));
    else
        finish(Reply::none());
}

void FoxtronTransport::handle_event(std::uint8_t code) {
    namespace event = foxtron::event;
    if (code == event::power_loss || code == event::mains_on_bus || code == event::supply_defective) {
        if (!power_lost_) spdlog::warn("DALI interface {}: bus power lost (event {})", describe(), code);
        power_lost_ = true;
    } else if (code == event::power_ok) {
        if (power_lost_) spdlog::info("DALI interface {}: bus power back", describe());
        power_lost_ = false;
    } else if (code == event::checksum_error || code == event::invalid_command) {
        // The converter checks a message as it receives it (§4.11), so with two frames
        // outstanding the rejected one is most likely the one written last: the older one
        // was accepted when it arrived and is on the bus now. Failing the newest is the safe
        // guess: if it is wrong, the older frame ends by timeout and the newer one's report
        // no longer matches anything pending (counted, never taken as another frame's
        // answer). Failing all would let the accepted frame's late report be read as the
        // answer to its retry, and would put that frame on the bus twice.
        count_unexpected("gateway rejected a request (event " + std::to_string(code) + ")");
        if (pending()) finish_newest(Reply::failed(BusError::interface));
    } else if (code == event::buffer_full) {
        // The converter dropped the newest message; its transaction ends by timeout.
        count_unexpected("gateway buffer full (event 4)");
    }
}

}  // namespace lykta::dali
