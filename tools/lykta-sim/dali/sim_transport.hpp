#pragma once
// Transport onto an in-process SimBus: replies are posted to the loop, as a
// real interface's would arrive. For unit tests and the in-process benchmark.
#include <asio/io_context.hpp>

#include "drivers/dali/transport.hpp"
#include "lykta-sim/dali/sim_bus.hpp"

namespace lykta::dali {

class SimTransport final : public Transport {
public:
    SimTransport(asio::io_context& io, SimBus& bus) : io_(io), bus_(bus) {}
    void open() override { open_ = true; }
    void close() override { open_ = false; }
    void transact(ForwardFrame frame, TransactOptions options, Done done) override;
    std::string describe() const override { return "in-process simulated bus"; }
    // Test knob: the next `n` transactions get no reply at all and end in a timeout.
    int drop_next = 0;

private:
    asio::io_context& io_;
    SimBus& bus_;
    bool open_ = false;
};

}  // namespace lykta::dali
