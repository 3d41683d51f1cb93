#pragma once
// The MQTT uplink as the daemon sees it: an Uplink the domain rooms publish
// through, plus the lifecycle the App drives (start once features published
// their initial state; an orderly shutdown that says "offline" before
// disconnecting).
#include <asio.hpp>
#include <functional>
#include <memory>

#include "gateway/app/uplink.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/timers.hpp"
#include "gateway/store/database.hpp"

namespace lykta::mqtt {

class Link : public Uplink {
public:
    // Builds the Paho client from the config; nothing connects before start().
    // The credential files are read at each connection attempt, not here.
    // `io` carries Paho's callbacks; backoff, heartbeat and coalescing wait on `timers`.
    static std::unique_ptr<Link> create(asio::io_context& io, Timers& timers, const config::Config& config,
                                        store::Database& db, const Clock& clock);

    // Clears stale retained topics, connects in the background and keeps
    // reconnecting (jittered backoff 1 s -> 60 s); returns at once.
    virtual void start() = 0;
    // Told (on the loop thread) when the credential, CA, certificate or key
    // files become unreadable (`problem` says which and why) and when they can
    // be read again (empty `problem`): the uplink_credentials fault.
    virtual void on_credentials(std::function<void(const std::string& problem)> listener) = 0;
    // Publishes P/status offline (reason "shutdown"), disconnects, then calls
    // `done` on the loop thread. Bounded: `done` runs even if the broker is gone.
    virtual void shutdown(std::function<void()> done) = 0;

    // A request that arrived by another way (the local control socket): the
    // same router, envelope, limits and handlers as P/request/<command>, with
    // `client` as its rate-limit key. `reply` gets the serialised envelope.
    virtual void submit_local(const std::string& command, const std::string& payload,
                              const std::string& client, std::function<void(std::string response)> reply) = 0;
};

}  // namespace lykta::mqtt
