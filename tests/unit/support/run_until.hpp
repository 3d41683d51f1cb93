#pragma once
// Runs an io_context until `pred` holds: how in-process tests wait on real
// transports (loopback TCP, ptys, worker threads) without sleeping. The limit
// only bounds a failing test; a passing one returns as soon as pred holds
// (30 s leaves room for valgrind and the sanitizers).
#include <asio/io_context.hpp>
#include <chrono>

namespace lykta::test {

template <class Pred>
bool run_until(asio::io_context& io, Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
        io.restart();
        io.run_one_for(std::chrono::milliseconds(10));
    }
    return pred();
}

}  // namespace lykta::test
