#pragma once
// How the domain rooms talk to the platform without knowing MQTT: retained
// state by sub-topic, events and telemetry through the persistent outbox,
// command handlers by path, and named contributions to P/heartbeat and P/info.
// Implemented by the MQTT room (docs/mqtt-api.md); every call happens on the
// event loop thread, and every callback is invoked there.
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "gateway/api/command.hpp"

namespace lykta {

class Uplink {
public:
    virtual ~Uplink() = default;

    // Retained state under P/<subtopic> ("luminaire/L-001/state", "area/torget/state",
    // "meter/m1/state", "alarms"). Published on change only; several calls for one
    // topic inside a short window (50 ms) go out once, with the last payload.
    // Republished on every reconnect and on the `republish` command.
    virtual void publish_state(const std::string& subtopic, nlohmann::json payload) = 0;
    // The same for a state its owner can build again at any time from what it
    // keeps anyway (1,024 luminaire states): the uplink keeps `render` instead of
    // the text and calls it, on the loop thread, whenever the state goes out
    // (coalescing window, reconnect, `republish`). Call again on every change;
    // the owner decides what a change is, and must outlive the uplink's loop.
    virtual void publish_rendered_state(const std::string& subtopic, std::function<nlohmann::json()> render) {
        publish_state(subtopic, render());
    }
    // Empty retained payload: the id is gone from the config. (Ids removed from
    // the config between runs are cleared by the uplink itself at start.)
    virtual void clear_state(const std::string& subtopic) = 0;
    // P/event: {"type":"fault.raised", ...}; "ts" is added when missing. Committed to
    // the on-disk outbox before this returns, sent in order with a persisted "seq".
    virtual void publish_event(nlohmann::json event) = 0;
    // P/telemetry, through the same outbox; under disk pressure the oldest
    // telemetry is dropped first (counted in the heartbeat), events never.
    virtual void publish_telemetry(nlohmann::json telemetry) = 0;
    // P/request/<path> (and the same command on the control socket) is dispatched to
    // `handler` by the daemon's one api::CommandRouter; the envelope (id echo, bad_json,
    // too_large, too_busy, unknown_command, exactly one response) is the router's job.
    // Register before App::run starts the uplink so P/info lists the capability.
    virtual void add_command(const std::string& path, api::CommandHandler handler) = 0;
    // P/heartbeat gets a member `name` holding what `source` returns at each beat
    // (e.g. "dali": {"bus1": {"frames": 1234, "errors": 2}}).
    virtual void add_heartbeat_source(const std::string& name, std::function<nlohmann::json()> source) = 0;
    // P/info gets a member `name` (e.g. "schedule_revision"); read whenever P/info
    // is published (each connect and each `republish`).
    virtual void add_info_source(const std::string& name, std::function<nlohmann::json()> source) = 0;
};

}  // namespace lykta
