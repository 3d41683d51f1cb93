#pragma once
// Live updates for the crew page: server-sent events (HTML Living Standard,
// "Server-sent events", the text/event-stream format) from the retained state
// the uplink publishes. A stream starts with one `overview` event (what GET
// /api/overview answers) and then sends a `state` event
// {"topic":"area/torget/state","payload":{...}} per changed sub-topic. Changes
// are coalesced per stream: a browser that reads slowly gets the latest
// payload of each topic once, never a growing backlog. An idle stream's
// connection is suspended in MHD (no busy polling) and resumed on a change.
#include <microhttpd.h>

#include <functional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "gateway/http/state_feed.hpp"

namespace lykta::http {

class EventStreams {
public:
    explicit EventStreams(const StateFeed& feed) : feed_(feed) {}
    ~EventStreams();
    // Called when a suspended stream was resumed: MHD must run again.
    void on_wake(std::function<void()> wake) { wake_ = std::move(wake); }

    // The response for a new stream on `connection`; MHD owns it from here.
    MHD_Response* open(MHD_Connection* connection, const std::string& session_id,
                       const nlohmann::json& overview);
    void changed(const std::string& subtopic);
    // A comment line on every stream; streams whose session ended are closed.
    void keepalive(const std::function<bool(const std::string& session_id)>& session_alive);
    // Ends the streams whose session ended (the user was removed or demoted).
    void close_ended(const std::function<bool(const std::string& session_id)>& session_alive);
    void close_all();
    std::size_t size() const { return streams_.size(); }
    std::size_t suspended() const;

private:
    struct Stream {
        EventStreams* owner = nullptr;
        MHD_Connection* connection = nullptr;
        std::string session;
        std::string pending;
        std::set<std::string> dirty;
        bool suspended = false;
        bool closed = false;
    };
    static ssize_t read(void* cls, uint64_t pos, char* buf, size_t max);
    static void release(void* cls);
    void wake(Stream& stream);

    const StateFeed& feed_;
    std::function<void()> wake_;
    std::set<Stream*> streams_;
};

// One event in the text/event-stream format: "event: NAME\ndata: JSON\n\n"
// (the JSON is one line: dump() without indentation never holds a newline).
std::string sse_event(const std::string& name, const nlohmann::json& data);

}  // namespace lykta::http
