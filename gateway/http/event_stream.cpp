#include "gateway/http/event_stream.hpp"

#include <algorithm>

#include <cstring>
#include "gateway/http/mhd_api.hpp"

namespace lykta::http {

std::string sse_event(const std::string& name, const nlohmann::json& data) {
    return "event: " + name + "\ndata: " + data.dump() + "\n\n";
}

EventStreams::~EventStreams() {
    for (auto* s : streams_) s->owner = nullptr;  // MHD frees them later, if at all
}

MHD_Response* EventStreams::open(MHD_Connection* connection, const std::string& session_id,
                                 const nlohmann::json& overview) {
    auto* s = new Stream;
    s->owner = this;
    s->connection = connection;
    s->session = session_id;
    s->pending = sse_event("overview", overview);
    streams_.insert(s);
    return mhd().create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, &EventStreams::read, s,
                                               &EventStreams::release);
}

void EventStreams::changed(const std::string& subtopic) {
    for (auto* s : streams_) {
        s->dirty.insert(subtopic);
        wake(*s);
    }
}

void EventStreams::keepalive(const std::function<bool(const std::string&)>& session_alive) {
    for (auto* s : streams_) {
        if (!session_alive(s->session)) s->closed = true;
        s->pending += ": keepalive\n\n";
        wake(*s);
    }
}

void EventStreams::close_ended(const std::function<bool(const std::string&)>& session_alive) {
    for (auto* s : streams_)
        if (!session_alive(s->session)) {
            s->closed = true;
            wake(*s);
        }
}

std::size_t EventStreams::suspended() const {
    return static_cast<std::size_t>(
        std::count_if(streams_.begin(), streams_.end(), [](auto* s) { return s->suspended; }));
}

void EventStreams::close_all() {
    for (auto* s : streams_) {
        s->closed = true;
        wake(*s);
    }
}

void EventStreams::wake(Stream& s) {
    if (!s.suspended) return;
    s.suspended = false;
    mhd().resume_connection(s.connection);
    if (wake_) wake_();
}

ssize_t EventStreams::read(void* cls, uint64_t, char* buf, size_t max) {
    auto* s = static_cast<Stream*>(cls);
    if (!s->owner || s->closed) return MHD_CONTENT_READER_END_OF_STREAM;
    if (s->pending.empty()) {
        for (const auto& topic : s->dirty)
            s->pending += sse_event("state", {{"topic", topic}, {"payload", s->owner->feed_.current(topic)}});
        s->dirty.clear();
    }
    if (s->pending.empty()) {
        // Nothing to say: park the connection until changed() or keepalive()
        // resumes it (libmicrohttpd: returning 0 goes with MHD_suspend_connection).
        s->suspended = true;
        mhd().suspend_connection(s->connection);
        return 0;
    }
    auto n = std::min(max, s->pending.size());
    std::memcpy(buf, s->pending.data(), n);
    s->pending.erase(0, n);
    return static_cast<ssize_t>(n);
}

void EventStreams::release(void* cls) {
    auto* s = static_cast<Stream*>(cls);
    if (s->owner) s->owner->streams_.erase(s);
    delete s;
}

}  // namespace lykta::http
