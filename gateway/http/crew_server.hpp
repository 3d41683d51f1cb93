#pragma once
// The crew's local web page (docs/crew-page.md): libmicrohttpd run inside the
// daemon's event loop. MHD is started without a thread of its own
// (external polling with epoll): the loop waits on MHD's epoll descriptor and
// calls MHD_run, so every request handler runs on the loop thread and reads
// the daemon's state directly. A request that waits for something (a command
// answer, a password check) suspends its connection and resumes it when the
// answer arrives. Password hashing, the only slow work, runs on one worker
// thread that posts its result back.
#include <asio.hpp>
#include <functional>
#include <memory>
#include <string>

#include "gateway/config/model.hpp"
#include "gateway/http/state_feed.hpp"

namespace lykta::http {

// Hands a command to the daemon's command router (the same one MQTT and the
// control socket use); `reply` gets the serialised response envelope, once,
// on the loop thread.
using Dispatch =
    std::function<void(const std::string& command, const std::string& payload, const std::string& client,
                       std::function<void(std::string response)> reply)>;

class CrewServer {
public:
    CrewServer(asio::io_context& io, const config::Config& config, StateFeed& feed, Dispatch dispatch);
    ~CrewServer();
    CrewServer(const CrewServer&) = delete;
    CrewServer& operator=(const CrewServer&) = delete;

    // Reads the users and TLS files and listens; false (with `error`) when it cannot.
    bool start(std::string* error);
    void stop();

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lykta::http
