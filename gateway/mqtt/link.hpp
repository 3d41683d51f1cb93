#pragma once
// The MQTT uplink as the daemon sees it: an Uplink the domain rooms publish
// through, plus the lifecycle the App drives (start once features published
// their initial state; an orderly shutdown that says "offline" before
// disconnecting).
#include <asio.hpp>
#include <functional>
#include <memory>

#include "gateway/api/command_router.hpp"
#include "gateway/api/uplink.hpp"
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
    // P/request/<command> goes to `router` (the daemon's one, which the control
    // socket feeds too); add_command registers there; it must outlive the link.
    static std::unique_ptr<Link> create(asio::io_context& io, Timers& timers, const config::Config& config,
                                        store::Database& db, const Clock& clock, api::CommandRouter& router);

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
};

}  // namespace lykta::mqtt
