#include <catch2/catch.hpp>

#include <asio/io_context.hpp>

#include "drivers/dali/transport_factory.hpp"

using namespace lykta::dali;

TEST_CASE("every protocol the config accepts has a transport", "[dali][config]") {
    asio::io_context io;
    for (const auto& p : lykta::config::known_dali_protocols()) {
        lykta::config::Endpoint e;
        e.protocol = p;
        e.device = "/dev/null";
        CHECK(make_transport(io, e) != nullptr);
    }
    lykta::config::Endpoint unknown;
    unknown.protocol = "daliserver";
    CHECK_THROWS_AS(make_transport(io, unknown), std::invalid_argument);
}
