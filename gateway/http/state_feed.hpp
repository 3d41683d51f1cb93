#pragma once
// The retained state the MQTT uplink publishes, seen by the crew page too:
// an Uplink that forwards every call to the real one and remembers the
// latest state per sub-topic (payloads, or the render functions of rendered
// state, so 1,024 luminaires cost a map entry each, not their text). The
// page's overview and its live updates read from here, so they show exactly
// what the platform sees. Only built when `http:` is configured.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gateway/api/uplink.hpp"

namespace lykta::http {

class StateFeed : public Uplink {
public:
    explicit StateFeed(Uplink& inner) : inner_(inner) {}

    void publish_state(const std::string& subtopic, nlohmann::json payload) override;
    void publish_rendered_state(const std::string& subtopic, std::function<nlohmann::json()> render) override;
    void clear_state(const std::string& subtopic) override;
    void publish_event(nlohmann::json event) override { inner_.publish_event(std::move(event)); }
    void publish_telemetry(nlohmann::json telemetry) override {
        inner_.publish_telemetry(std::move(telemetry));
    }
    void add_command(const std::string& path, api::CommandHandler handler) override {
        inner_.add_command(path, std::move(handler));
    }
    void add_heartbeat_source(const std::string& name, std::function<nlohmann::json()> source) override {
        inner_.add_heartbeat_source(name, std::move(source));
    }
    void add_info_source(const std::string& name, std::function<nlohmann::json()> source) override {
        inner_.add_info_source(name, std::move(source));
    }

    // The current payload of `subtopic` (null when none or cleared).
    nlohmann::json current(const std::string& subtopic) const;
    // Every sub-topic starting with `prefix` ("area/"), in order.
    std::vector<std::string> subtopics(const std::string& prefix) const;
    // Told the sub-topic after every change (on the loop thread).
    void on_change(std::function<void(const std::string& subtopic)> listener) {
        listener_ = std::move(listener);
    }

private:
    struct Entry {
        nlohmann::json payload;
        std::function<nlohmann::json()> render;  // set for rendered state
    };
    void changed(const std::string& subtopic);

    Uplink& inner_;
    std::map<std::string, Entry> state_;
    std::function<void(const std::string&)> listener_;
};

}  // namespace lykta::http
