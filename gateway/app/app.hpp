#pragma once
// The composition root: builds every part of the daemon from a validated
// Config, runs the event loop on the calling thread, and tears down in order.
#include <asio.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/api/command_router.hpp"
#include "gateway/api/feature.hpp"
#include "gateway/app/service_notifier.hpp"
#include "gateway/app/stop_and_reload_signals.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/asio_timers.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/store/database.hpp"

namespace lykta {
namespace mqtt {
class Link;
}
namespace control {
class ControlServer;
}
namespace http {
class StateFeed;
class CrewServer;
}

enum class RunOutcome { stopped, reload, failed };

class App {
public:
    // `signals` outlives every App: a signal that arrives while one App is torn
    // down and the next is built stays pending for the next one.
    App(config::Config config, std::string config_path, StopAndReloadSignals& signals);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // Runs until SIGTERM/SIGINT (stopped) or SIGHUP with a valid new config
    // (reload; the new config is then in reloaded_config()).
    RunOutcome run();
    std::optional<config::Config>& reloaded_config() { return reloaded_; }

private:
    void wait_for_signals();
    void take_signal();
    void on_signal(int signal);
    void begin_shutdown(RunOutcome outcome, const std::string& reason);
    std::string running_status() const;                      // STATUS= line for systemd
    std::optional<config::Config> read_config_for_reload();  // nullopt (problems logged) when the file is bad

    config::Config config_;
    std::string config_path_;
    asio::io_context io_;
    StopAndReloadSignals& signals_;
    asio::posix::stream_descriptor signals_readable_;  // a dup of signals_.fd() on this App's loop
    SystemClock clock_;
    AsioTimers timers_{io_};  // every feature's waits
    ServiceNotifier notifier_;
    // The daemon's API: every command, from MQTT and from the control socket
    // alike, goes through this one router (limits, answer cache, handlers).
    api::CommandRouter router_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<mqtt::Link> uplink_;
    std::unique_ptr<control::ControlServer> control_;
    std::unique_ptr<http::StateFeed> state_feed_;  // only with `http:` (the crew page)
    std::unique_ptr<http::CrewServer> crew_page_;
    std::vector<std::unique_ptr<Feature>> features_;
    std::optional<config::Config> reloaded_;
    RunOutcome outcome_ = RunOutcome::stopped;
    std::uint64_t store_failures_ = 0;  // store errors that escaped a handler (degraded mode)
    bool shutting_down_ = false;
};

}  // namespace lykta
