#pragma once
// How the domain rooms talk to the platform without knowing MQTT: retained
// state by sub-topic, events and telemetry through the persistent outbox, and
// command handlers by path. Implemented by the MQTT room; all calls happen on
// the event loop thread.
#include <string>

#include <nlohmann/json.hpp>

#include "gateway/mqtt/command.hpp"

namespace lykta {

class Uplink {
public:
    virtual ~Uplink() = default;

    // Retained state under P/<subtopic> ("luminaire/L-001/state", "alarms").
    // Coalesced: several calls for one topic inside a short window go out once.
    virtual void publish_state(const std::string& subtopic, nlohmann::json payload) = 0;
    // Empty retained payload: the id is gone from the config.
    virtual void clear_state(const std::string& subtopic) = 0;
    // P/event: {"type":..., "ts":...} plus fields; persisted in the outbox, sent in order.
    virtual void publish_event(nlohmann::json event) = 0;
    // P/telemetry, through the outbox (the oldest telemetry is dropped first when full).
    virtual void publish_telemetry(nlohmann::json telemetry) = 0;
    // P/request/<path> is dispatched to `handler`; an unknown path answers unknown_command.
    virtual void add_command(const std::string& path, mqtt::CommandHandler handler) = 0;
};

}  // namespace lykta
