#include "drivers/dali/foxtron_transport.hpp"

#include <spdlog/spdlog.h>

namespace lykta::dali {

std::string FoxtronTransport::request_bytes(ForwardFrame frame, TransactOptions options) {
    return foxtron::encode(foxtron::send_request(frame, options.send_twice));
}

// The gateway closes idle connections after ~30 s; a config query keeps it open.
std::string FoxtronTransport::keepalive_bytes() {
    return foxtron::encode(foxtron::config_request(foxtron::config_firmware));
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
            if (!pending() || in.frame != pending_frame()) {
                count_unexpected("reply for frame " + hex(in.frame));
                return;
            }
            if (in.kind == K::answer)
                finish(Reply::answer(in.value));
            else if (in.kind == K::collision)
                finish(Reply::framing());
            else if (power_lost_ && pending_expects_answer())
                finish(Reply::failed(BusError::power_loss));
            else
                finish(Reply::none());
            return;
        case K::event:
            if (in.value == foxtron::event::power_loss || in.value == foxtron::event::mains_on_bus ||
                in.value == foxtron::event::supply_defective) {
                if (!power_lost_)
                    spdlog::warn("DALI interface {}: bus power lost (event {})", describe(), in.value);
                power_lost_ = true;
            } else if (in.value == foxtron::event::power_ok) {
                if (power_lost_) spdlog::info("DALI interface {}: bus power back", describe());
                power_lost_ = false;
            } else if (in.value == foxtron::event::checksum_error ||
                       in.value == foxtron::event::invalid_command) {
                count_unexpected("gateway rejected a request (event " + std::to_string(in.value) + ")");
                if (pending()) finish(Reply::failed(BusError::interface));
            }
            return;
        case K::config:
            if (in.value == foxtron::config_bus_power) power_lost_ = in.data != 0;
            return;
        case K::spontaneous:
            return;  // another master's traffic: not ours to answer
        case K::unknown:
            count_unexpected("message type not used by Lykta");
            return;
    }
}

}  // namespace lykta::dali
