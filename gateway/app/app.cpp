#include "gateway/app/app.hpp"
#include "gateway/app/heap_trim.hpp"

#include <spdlog/spdlog.h>

#include <fcntl.h>

#include <cerrno>
#include <csignal>
#include <system_error>

#include "gateway/app/config_check.hpp"
#include "gateway/app/fault_statistics.hpp"
#include "gateway/cabinet/cabinet_feature.hpp"
#include "gateway/config/loader.hpp"
#include "gateway/control/control_server.hpp"
#include "gateway/http/crew_server.hpp"
#include "gateway/http/state_feed.hpp"
#include "gateway/lighting/clock_watch.hpp"
#include "gateway/lighting/lighting_feature.hpp"
#include "gateway/luminaires/group_membership_feature.hpp"
#include "gateway/luminaires/inventory_feature.hpp"
#include "gateway/luminaires/luminaires_feature.hpp"
#include "gateway/mqtt/link.hpp"
#include "gateway/mqtt/request_limits.hpp"
#include "lykta/version.hpp"

namespace lykta {
namespace {

// This App's own descriptor of the process's signalfd: its loop registers and
// closes it; the signalfd itself (and what is pending on it) lives on.
int duplicate(int fd) {
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) throw std::system_error(errno, std::generic_category(), "duplicating the signalfd");
    return copy;
}

}  // namespace

App::App(config::Config config, std::string config_path, StopAndReloadSignals& signals)
    : config_(std::move(config)),
      config_path_(std::move(config_path)),
      signals_(signals),
      signals_readable_(io_, duplicate(signals.fd())),
      notifier_(timers_),
      router_(mqtt::request_limits(config_.mqtt), [this] { asio::post(io_, [this] { router_.drain(); }); }) {
    std::string moved_to;
    db_ = store::open_or_recover(config_.store.path, &moved_to);
    if (!moved_to.empty())
        spdlog::error("store {} was corrupt; moved it aside to {} and started a fresh one",
                      config_.store.path, moved_to);
    uplink_ = mqtt::Link::create(io_, timers_, config_, *db_, clock_, router_);
    // With the crew page on, the features publish through a feed that also
    // shows the page what the platform sees; off, nothing of it exists.
    if (config_.http) state_feed_ = std::make_unique<http::StateFeed>(*uplink_);
    Uplink& publish = state_feed_ ? static_cast<Uplink&>(*state_feed_) : *uplink_;
    auto luminaires = std::make_unique<luminaires::LuminairesFeature>(io_, timers_, config_, publish, clock_);
    uplink_->add_heartbeat_source("dali", [f = luminaires.get()] { return f->heartbeat_counters(); });
    auto* luminaires_ref = luminaires.get();
    // The policy drives the luminaires: started after them, stopped before them.
    auto lighting =
        std::make_unique<lighting::LightingFeature>(config_, *luminaires, publish, *db_, clock_, timers_);
    auto* lighting_ref = lighting.get();
    features_.push_back(std::move(luminaires));
    features_.push_back(std::move(lighting));
    // Asset inventory (banks 0/1 of every gear): reads through the luminaires' buses, stopped before them.
    features_.push_back(
        std::make_unique<luminaires::InventoryFeature>(config_, *luminaires_ref, publish, *db_, clock_));
    // DALI group membership against the areas' dali_groups (start: groups unverified until read).
    features_.push_back(
        std::make_unique<luminaires::GroupMembershipFeature>(config_, *luminaires_ref, publish));
    auto cabinet = std::make_unique<cabinet::CabinetFeature>(io_, timers_, config_, publish, clock_);
    uplink_->add_heartbeat_source("modbus", [f = cabinet.get()] { return f->heartbeat(); });
    // Contactors follow the policy's targets (told before any DALI frame goes out).
    lighting_ref->add_observer(&cabinet->contactors());
    // Gear that just got mains booted to their power-on level: the policy's levels again.
    cabinet->contactors().set_power_up_listener(
        [lighting_ref](const std::vector<std::string>& areas) { lighting_ref->reapply_areas(areas); });
    // Faults and statistics only react to what the others report. First in
    // the list (statistics first of all), so they are stopped last and the
    // final statistics flush sees every other stop. Faults register their
    // commands before statistics (P/info lists faults/* before report/get).
    auto faults = std::make_unique<faults::FaultsFeature>(timers_, config_, publish, *db_, clock_);
    auto statistics = std::make_unique<stats::StatsFeature>(timers_, config_, publish, *db_, clock_);
    count_faults(*faults, *statistics);
    luminaires_ref->add_status_observer(
        [f = faults.get(), s = statistics.get()](const luminaires::Sweep& sweep) {
            f->on_sweep(sweep);
            s->on_sweep(sweep);
        });
    cabinet->add_observer(*faults);
    cabinet->add_observer(*statistics);
    lighting_ref->add_observer(faults.get());
    lighting_ref->add_observer(statistics.get());
    // A write that fails for the medium's sake (disk full, I/O error) anywhere
    // in the daemon raises storage_failure, also when the caller swallows it.
    uplink_->on_credentials([f = faults.get(), this](const std::string& problem) {
        f->on_uplink_credentials(clock_.now(), problem);
    });
    db_->set_failure_listener([f = faults.get()](const std::string& what) { f->on_store_failure(what); });
    cabinet->add_observer(*lighting_ref);  // photocell readings
    // Clock safety: faults while unsynchronised or after a jump; a jump re-plans the lighting.
    auto clock_watch = std::make_unique<lighting::ClockWatch>(timers_, clock_, publish);
    clock_watch->add_listener([f = faults.get()](SystemTime at, const policy::ClockHealth& health) {
        f->on_clock(at, health.ntp.known && !health.ntp.synchronised, health.jump.jumped(),
                    health.describe());
    });
    clock_watch->add_listener([lighting_ref](SystemTime at, const policy::ClockHealth& health) {
        lighting_ref->on_clock(at, health);
    });
    features_.insert(features_.begin(), std::move(faults));
    features_.insert(features_.begin(), std::move(statistics));
    features_.push_back(std::move(cabinet));
    features_.push_back(std::move(clock_watch));
    features_.push_back(std::make_unique<HeapTrim>(timers_));
    // lyktactl on the box reaches the same commands as the platform, broker or not.
    // The control socket and the crew page reach the same router as MQTT.
    // One rate-limit key for all local clients: a runaway script on the box is
    // throttled like any MQTT client; the page's clients are keyed per address.
    auto submit_local = [this](const std::string& command, const std::string& payload,
                               const std::string& client, std::function<void(std::string)> reply) {
        auto send = [reply = std::move(reply)](nlohmann::json envelope) {
            reply(envelope.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        };
        router_.submit({command, payload, client, std::move(send)}, std::chrono::steady_clock::now());
    };
    control_ = std::make_unique<control::ControlServer>(
        io_, config_.control.socket,
        [submit_local](const std::string& command, const std::string& payload,
                       std::function<void(std::string)> reply) {
            submit_local(command, payload, "local", std::move(reply));
        });
    if (state_feed_)
        crew_page_ = std::make_unique<http::CrewServer>(io_, config_, *state_feed_, submit_local);
}

App::~App() {
    db_->set_failure_listener(nullptr);  // the features go first; the store's last writes may still fail
}

RunOutcome App::run() {
    wait_for_signals();
    for (auto& feature : features_) feature->start();
    uplink_->start();
    std::string control_error;
    if (!control_->start(&control_error))
        spdlog::warn("control socket off, lyktactl cannot reach this daemon: {}", control_error);
    std::string crew_page_error;
    if (crew_page_ && !crew_page_->start(&crew_page_error))
        spdlog::error("crew page off: {}", crew_page_error);
    uplink_->publish_event({{"type", "gateway.started"}, {"version", lykta::version}});
    notifier_.ready(running_status());
    spdlog::info("lyktad {} running as gateway '{}' ({} luminaires, {} areas)", lykta::version,
                 config_.gateway.id, config_.luminaires.size(), config_.areas.size());
    // Degraded mode: a store write that fails (disk full, I/O error) in some
    // handler loses that handler's write, not the daemon. asio lets run() be
    // called again after a handler threw; everything else keeps its schedule.
    for (;;) {
        try {
            io_.run();
            break;
        } catch (const store::StoreError& e) {
            ++store_failures_;
            spdlog::error("store write failed, running degraded ({} failures so far): {}", store_failures_,
                          e.what());
        }
    }
    return outcome_;
}

void App::wait_for_signals() {
    // Only readiness is awaited; the signals are taken off the process one at
    // a time in take_signal() and each is acted on at once. One that asio had
    // read ahead would be lost when the loop stops before its handler runs.
    // Always listening: a SIGTERM while a reload tears down must still stop.
    signals_readable_.async_wait(asio::posix::stream_descriptor::wait_read,
                                 [this](const asio::error_code& ec) {
                                     if (ec) return;
                                     wait_for_signals();
                                     take_signal();
                                 });
}

void App::take_signal() {
    // asio's epoll reactor watches the descriptor edge-triggered: signals that
    // were already pending give no new edge, so the next one is looked for in
    // a handler of its own (still taken if this one throws, a store write
    // failing in a stop). Once the loop has stopped, they stay pending.
    if (const int signal = signals_.take()) {
        asio::post(io_, [this] { take_signal(); });
        on_signal(signal);
    }
}

void App::on_signal(int signal) {
    if (signal != SIGHUP) {
        if (shutting_down_ && outcome_ == RunOutcome::reload) {
            spdlog::info("stop requested during the reload: stopping instead");
            outcome_ = RunOutcome::stopped;
            notifier_.stopping();
        }
        begin_shutdown(RunOutcome::stopped, "shutdown");
        return;
    }
    if (shutting_down_) {
        // Stopping: nothing to reload. Reloading already: read the file again,
        // the newer valid one wins (an edit after the first SIGHUP is not lost).
        if (outcome_ == RunOutcome::reload)
            if (auto config = read_config_for_reload()) reloaded_ = std::move(config);
        return;
    }
    // SIGHUP = reload (systemctl reload). systemd hears RELOADING=1 first and
    // READY=1 when it is over: from the next App once the new configuration
    // runs, or right here when the file is rejected and the running
    // configuration stays untouched. (sd_notify(3), "RELOADING=1": a service
    // that sends it must also send READY=1 when it completed reloading.)
    notifier_.reloading();
    reloaded_ = read_config_for_reload();
    if (!reloaded_) {
        notifier_.ready(running_status() + " (reload rejected, see the log)");
        return;
    }
    begin_shutdown(RunOutcome::reload, "reload");
}

std::optional<config::Config> App::read_config_for_reload() {
    auto result = check_config_file(config_path_);  // with the device templates it names
    if (result.ok()) return std::move(result.config);
    spdlog::error("SIGHUP: {} has {} problem(s); keeping the running configuration", config_path_,
                  result.diagnostics.size());
    for (const auto& d : result.diagnostics) spdlog::error("{}", d.to_string());
    return std::nullopt;
}

std::string App::running_status() const {
    return "running: " + std::to_string(config_.luminaires.size()) + " luminaires";
}

void App::begin_shutdown(RunOutcome outcome, const std::string& reason) {
    if (shutting_down_) return;
    shutting_down_ = true;
    outcome_ = outcome;
    spdlog::info("stopping ({})", reason);
    if (outcome != RunOutcome::reload) notifier_.stopping();
    router_.close();  // no command may reach a feature that is being stopped
    control_->stop();
    if (crew_page_) crew_page_->stop();
    for (auto it = features_.rbegin(); it != features_.rend(); ++it) (*it)->stop();
    uplink_->shutdown([this] {
        // Signals from here on stay pending for the next App (reload) or die with the process (stop).
        signals_readable_.cancel();
        io_.stop();
    });
}

}  // namespace lykta
