#pragma once
// An Uplink that records what a feature publishes and registers, for
// in-process tests of features (the real one is the MQTT link).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/api/uplink.hpp"

namespace lykta::test {

class RecordingUplink final : public Uplink {
public:
    void publish_state(const std::string& subtopic, nlohmann::json payload) override {
        states[subtopic] = std::move(payload);
    }
    void clear_state(const std::string& subtopic) override { cleared.push_back(subtopic); }
    void publish_event(nlohmann::json event) override { events.push_back(std::move(event)); }
    void publish_telemetry(nlohmann::json telemetry) override { telemetry_.push_back(std::move(telemetry)); }
    void add_command(const std::string& path, api::CommandHandler handler) override {
        commands[path] = std::move(handler);
    }
    void add_heartbeat_source(const std::string& name, std::function<nlohmann::json()> source) override {
        heartbeat_sources[name] = std::move(source);
    }
    void add_info_source(const std::string& name, std::function<nlohmann::json()> source) override {
        info_sources[name] = std::move(source);
    }

    std::map<std::string, nlohmann::json> states;
    std::vector<std::string> cleared;
    std::vector<nlohmann::json> events;
    std::vector<nlohmann::json> telemetry_;
    std::map<std::string, api::CommandHandler> commands;
    std::map<std::string, std::function<nlohmann::json()>> heartbeat_sources;
    std::map<std::string, std::function<nlohmann::json()>> info_sources;
};

}  // namespace lykta::test
