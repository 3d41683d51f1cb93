#include "lykta-sim/dali/sim_transport.hpp"

#include <asio/post.hpp>

namespace lykta::dali {

void SimTransport::transact(ForwardFrame frame, TransactOptions options, Done done) {
    Reply r;
    if (!open_) {
        r = Reply::failed(BusError::interface);
    } else if (drop_next > 0) {
        --drop_next;
        r = Reply::failed(BusError::timeout);
    } else {
        r = bus_.transact(frame, options);
    }
    asio::post(io_, [done = std::move(done), r] { done(r); });
}

}  // namespace lykta::dali
