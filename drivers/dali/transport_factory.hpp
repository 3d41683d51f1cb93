#pragma once
// The configured endpoint -> the transport that speaks its protocol.
#include <asio/io_context.hpp>
#include <memory>

#include "drivers/dali/stream_transport.hpp"
#include "drivers/dali/transport.hpp"
#include "gateway/config/model.hpp"

namespace lykta::dali {

// Throws std::invalid_argument for protocols not in config::known_dali_protocols()
// (the config loader has rejected those already).
std::unique_ptr<Transport> make_transport(asio::io_context& io, const config::Endpoint& endpoint,
                                          StreamOptions options = {});

}  // namespace lykta::dali
