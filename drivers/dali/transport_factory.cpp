#include "drivers/dali/transport_factory.hpp"

#include <stdexcept>

#include "drivers/dali/foxtron_transport.hpp"
#include "drivers/dali/hasseb_transport.hpp"

namespace lykta::dali {

std::unique_ptr<Transport> make_transport(asio::io_context& io, const config::Endpoint& e,
                                          StreamOptions options) {
    if (e.protocol == "foxtron")
        return std::make_unique<FoxtronTransport>(io, StreamEndpoint{e.host, e.port, e.device}, options);
    if (e.protocol == "hasseb") return std::make_unique<HassebTransport>(io, e.device, options);
    throw std::invalid_argument("no DALI transport for protocol '" + e.protocol + "'");
}

}  // namespace lykta::dali
